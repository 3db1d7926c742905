"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.systemdUnitCheck = void 0;
/** `systemd-unit` health check: healthy when `systemctl is-active UNIT` says active. */
const health_check_1 = require("../../shared/options/health-check");
const shell_1 = require("../../shared/shell");
const kind = 'systemd-unit';
exports.systemdUnitCheck = {
    kind,
    schema: health_check_1.systemdUnitCheckSchema,
    check: async (s, check) => {
        (0, shell_1.assertMatches)('unit', check.unit, shell_1.SYSTEMD_UNIT_RE, 'systemd unit');
        const r = await s.exec(`systemctl is-active ${(0, shell_1.shellQuote)(check.unit)}`);
        return r.code === 0 ? null : `${check.unit} is ${r.stdout.trim() || 'not active'}`;
    },
};
//# sourceMappingURL=systemd-unit.js.map