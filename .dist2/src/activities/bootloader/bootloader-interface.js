"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=bootloader-interface.js.map