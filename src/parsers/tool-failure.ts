/*
 * What a failed command's own output means, in the admin's words, for the tools whose errors have a parser:
 * devlink, ovs-vsctl, `mstconfig set` and mstfwreset. The preparation runner puts it before the tool's own lines
 * (src/steps/runner.ts toolMessage); the raw output stays the evidence. Null when the output is not one these
 * parsers know: the runner then shows the tool's lines alone.
 */
import { _, format } from "../lib/cockpit";
import { parse } from "./index";
import type { DevlinkErrorKind } from "./devlink-errors";
import type { OvsError } from "./ovs-vsctl-errors";

function devlinkWords(kind: DevlinkErrorKind): string {
    switch (kind) {
    case "eswitch-busy":
        return _("The e-switch is in use (offload rules, tc filters, Open vSwitch ports): remove the representors from Open vSwitch");
    case "eswitch-switchdev-failed":
        return _("The driver refused switchdev mode, usually because VFs already exist: set switchdev before creating the VFs");
    case "migration-not-supported":
        return _("The firmware's VF migration is not active: VF_MIGRATION_MODE takes effect after a firmware reset or a reboot");
    case "vport-disabled":
        return _("The VF does not exist, or the e-switch is not in switchdev mode");
    case "invalid-port":
        return _("The port is not a VF's function port");
    case "hca-caps-failed":
        return _("The firmware could not report the VF's capabilities");
    case "migratable-set-failed":
        return _("The firmware refused the change: set migratable while the VF is bound to no driver");
    case "busy":
        return _("The device is in use");
    case "not-supported":
        return _("The kernel or the driver does not support this operation");
    case "no-such-device":
        return _("No devlink device or port has this name");
    case "permission-denied":
        return _("The command needs administrative access");
    case "invalid-argument":
        return _("The kernel rejected the request");
    case "unknown-option":
        return _("This iproute2 is too old for this option (migratable needs iproute2 6.2 or later)");
    case "unknown-command":
        return _("This iproute2 does not know this devlink command");
    }
}

function ovsWords(e: OvsError): string {
    const name = e.name ?? "";
    switch (e.kind) {
    case "no-bridge":
        return format(_("Open vSwitch has no bridge named $0"), name);
    case "no-port":
        return format(_("Open vSwitch has no port named $0"), name);
    case "bridge-exists":
        return format(_("Open vSwitch already has a bridge named $0"), name);
    case "port-exists":
        return format(_("Open vSwitch already has a port named $0"), name);
    case "interface-exists":
        return format(_("Open vSwitch already has an interface named $0"), name);
    case "no-key":
        return format(_("Open vSwitch has no setting $0"), name);
    case "db-connection-failed":
        return _("Open vSwitch's database does not answer: is openvswitch.service running?");
    }
}

/** The explanation of a failed command, from its argv and output; null when no parser knows the output. */
export function explainToolFailure(argv: readonly string[], stdout: string, stderr: string): string | null {
    const transcript = stdout + (stdout === "" || stdout.endsWith("\n") ? "" : "\n") + stderr;
    switch (argv[0]) {
    case "devlink": {
        const r = parse("devlink-errors", stderr);
        return r.ok ? devlinkWords(r.value.kind) : null;
    }
    case "ovs-vsctl": {
        const r = parse("ovs-vsctl-errors", stderr);
        return r.ok ? ovsWords(r.value) : null;
    }
    case "mstconfig": {
        if (!argv.includes("set"))
            return null;
        const r = parse("mstconfig-set", transcript);
        if (!r.ok || r.value.outcome === "applied-reboot" || r.value.outcome === "applied-power-cycle")
            return null;
        return r.value.outcome === "aborted"
            ? _("mstconfig asked for a confirmation and did not get one: no firmware setting changed")
            : format(_("mstconfig changed no firmware setting: $0"), r.value.error ?? "");
    }
    case "mstfwreset": {
        const r = parse("mstfwreset", transcript);
        if (!r.ok || r.value.success)
            return null;
        return format(_("The firmware reset did not happen: $0"), r.value.error ?? "");
    }
    default:
        return null;
    }
}
