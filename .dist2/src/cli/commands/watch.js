"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.watch = void 0;
/** `kernelctl watch <host>` (the timeline as it grows) or `kernelctl watch --rollout ID`. */
const common_1 = require("../common");
const command_1 = require("./command");
async function watchCommand({ v, host, json, clientOpts }) {
    if (v['rollout'] === undefined)
        return (0, common_1.withClient)(clientOpts, (c) => (0, command_1.watch)(c, host, json));
    const { watchRollout } = await Promise.resolve().then(() => __importStar(require('../rollout')));
    return (0, common_1.withClient)(clientOpts, (c) => watchRollout(c.client, v['rollout'], {
        tty: process.stdout.isTTY === true,
        json,
        write: (x) => process.stdout.write(x),
    }));
}
exports.watch = {
    options: { rollout: { type: 'string' } },
    needsHost: (v) => v['rollout'] === undefined,
    run: watchCommand,
};
//# sourceMappingURL=watch.js.map