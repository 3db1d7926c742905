"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const grpc_status_1 = require("./grpc-status");
(0, node_test_1.test)('permissionDenied: code 7 or its message anywhere in the cause chain, nothing else', () => {
    strict_1.default.equal((0, grpc_status_1.permissionDenied)({ code: 7, message: 'Request unauthorized.' }), true);
    strict_1.default.equal((0, grpc_status_1.permissionDenied)(new Error('x', { cause: new Error('7 PERMISSION_DENIED: Request unauthorized.') })), true);
    strict_1.default.equal((0, grpc_status_1.permissionDenied)(new Error('x', { cause: { code: 7 } })), true);
    strict_1.default.equal((0, grpc_status_1.permissionDenied)({ code: 14, message: '14 UNAVAILABLE: gone' }), false);
    strict_1.default.equal((0, grpc_status_1.permissionDenied)(new Error('permission denied by ssh')), false);
    strict_1.default.equal((0, grpc_status_1.permissionDenied)(undefined), false);
});
//# sourceMappingURL=grpc-status.test.js.map