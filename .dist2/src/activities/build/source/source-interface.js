"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=source-interface.js.map