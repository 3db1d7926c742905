"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const session_pool_1 = require("./session-pool");
/** A session that only knows whether it is open: the pool never runs a command. */
function session() {
    const s = {
        closes: 0,
        open: true,
        exec: () => Promise.reject(new Error('not used')),
        run: () => Promise.reject(new Error('not used')),
        upload: () => Promise.reject(new Error('not used')),
        close() {
            s.closes += 1;
            s.open = false;
        },
        isOpen: () => s.open,
    };
    return s;
}
const web1 = { host: 'web1', address: '10.0.0.1', port: 22, user: 'root' };
(0, node_test_1.test)('session pool: a kept session is lent again only for the very same target, once', () => {
    const pool = new session_pool_1.SessionPool(60_000);
    const s = session();
    pool.give(web1, s);
    strict_1.default.equal(pool.take({ ...web1, port: 2222 }), undefined, 'another port');
    strict_1.default.equal(pool.take({ ...web1, user: 'admin' }), undefined, 'another user');
    strict_1.default.equal(pool.take({ ...web1, knownHostsPath: '/tmp/kh' }), undefined, 'another known_hosts');
    // The same input with its keys in another order is the same target.
    strict_1.default.equal(pool.take({ user: 'root', port: 22, address: '10.0.0.1', host: 'web1' }), s);
    strict_1.default.equal(pool.take(web1), undefined, 'lent to one activity at a time');
    strict_1.default.equal(s.closes, 0);
    pool.closeAll();
});
(0, node_test_1.test)('session pool: a session that closed while idle is dropped, not lent', () => {
    const pool = new session_pool_1.SessionPool(60_000);
    const s = session();
    pool.give(web1, s);
    s.open = false; // the host went down
    strict_1.default.equal(pool.take(web1), undefined);
    strict_1.default.equal(pool.size, 0);
});
(0, node_test_1.test)('session pool: a closed session is not kept, and one without isOpen never is', () => {
    const pool = new session_pool_1.SessionPool(60_000);
    const closed = session();
    closed.open = false;
    pool.give(web1, closed);
    const { isOpen: _ignored, ...fake } = session();
    pool.give(web1, fake);
    strict_1.default.equal(pool.size, 0);
});
(0, node_test_1.test)('session pool: forget closes every idle session to the host (before a reboot or power cycle)', () => {
    const pool = new session_pool_1.SessionPool(60_000);
    const a = session();
    const b = session();
    const other = session();
    pool.give(web1, a);
    pool.give({ ...web1, user: 'admin' }, b);
    pool.give({ ...web1, host: 'web2' }, other);
    pool.forget('web1');
    strict_1.default.equal(a.closes + b.closes, 2);
    strict_1.default.equal(pool.size, 1);
    strict_1.default.equal(pool.take({ ...web1, host: 'web2' }), other);
});
(0, node_test_1.test)('session pool: idle sessions close after the idle time, and the oldest makes room', async () => {
    const pool = new session_pool_1.SessionPool(20, 2);
    const [a, b, c] = [session(), session(), session()];
    pool.give({ ...web1, host: 'a' }, a);
    pool.give({ ...web1, host: 'b' }, b);
    pool.give({ ...web1, host: 'c' }, c);
    strict_1.default.equal(a.closes, 1, 'the oldest closed to keep two');
    strict_1.default.equal(pool.size, 2);
    await new Promise((resolve) => {
        const poll = setInterval(() => {
            if (pool.size === 0) {
                clearInterval(poll);
                resolve();
            }
        }, 5);
    });
    strict_1.default.equal(b.closes + c.closes, 2);
});
//# sourceMappingURL=session-pool.test.js.map