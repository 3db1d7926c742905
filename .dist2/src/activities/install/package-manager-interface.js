"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
//# sourceMappingURL=package-manager-interface.js.map