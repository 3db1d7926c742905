"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=check-interface.js.map