"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=driver-interface.js.map