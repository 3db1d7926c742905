"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=config-base-interface.js.map