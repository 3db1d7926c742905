"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=installer-interface.js.map