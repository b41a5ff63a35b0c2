/*
 * A service (or socket) the migration needs, declared once: it must be active and enabled at boot. The status checks
 * (ovs-running, libvirt-socket), the steps that enable them, their undo and the exports' bash guards derive from here.
 */
import type { Argv } from "../host/argv";
import { type Unit, systemctlEnableNow, systemctlDisableNow } from "../host/commands/systemd";

export interface UnitState { activeState: string; unitFileState: string }

export interface ServiceRule {
    unit: Unit;
    /** active and enabled: nothing to do */
    ok(state: UnitState | undefined): boolean;
    commands(): Argv[];
    undo(): Argv[];
    shellDone(): string;
}

export function serviceRule(unit: Unit): ServiceRule {
    return {
        unit,
        ok: st => st?.activeState === "active" && st.unitFileState === "enabled",
        commands: () => [systemctlEnableNow(unit)],
        undo: () => [systemctlDisableNow(unit)],
        shellDone: () => `systemctl is-active --quiet ${unit} && systemctl is-enabled --quiet ${unit}`,
    };
}
