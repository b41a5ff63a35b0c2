/**
 * Classifies the stderr of `devlink dev eswitch set` and `devlink port function set`.
 * iproute2 prints the kernel's extack as "Error: <driver>: <message>." then "kernel answers: <strerror>";
 * without extack only "devlink answers: <strerror>". Its own option errors: 'Unknown option "x"',
 * 'Command "x" not found'. Anything else is a parse error (the UI shows the raw text).
 */
import { fail, Line, requireContent } from "./common";

export type DevlinkErrorKind =
    | "eswitch-busy" | "eswitch-switchdev-failed" | "migration-not-supported" | "vport-disabled"
    | "invalid-port" | "hca-caps-failed" | "migratable-set-failed" | "busy" | "not-supported"
    | "no-such-device" | "permission-denied" | "invalid-argument" | "unknown-option" | "unknown-command";

export interface DevlinkError {
    kind: DevlinkErrorKind;
    /** The useful part: the kernel's message, else the strerror, else iproute2's complaint. */
    message: string;
    /** "mlx5_core" when the kernel message was prefixed by the driver. */
    driver?: string;
    /** strerror from "kernel answers:" / "devlink answers:". */
    answer?: string;
    /** The option or command word iproute2 did not know. */
    word?: string;
    /** Developer-facing hint about the usual cause. */
    hint: string;
}

// mlx5 extack strings (eswitch_offloads.c; migratable setter, Linux 6.2).
const EXTACK: [RegExp, DevlinkErrorKind, string][] = [
    [/^Can't change mode, E-Switch is busy$/, "eswitch-busy",
        "offload rules, tc qdiscs or OVS ports still use the e-switch: remove the representors from OVS first"],
    [/^Failed setting eswitch to offloads$/, "eswitch-switchdev-failed",
        "switchdev refused, typically because VFs already exist: set switchdev before creating VFs"],
    [/^Device doesn't support migration$/, "migration-not-supported",
        "firmware migration capability not active (VF_MIGRATION_MODE=2 not yet in effect, or old firmware)"],
    [/^Eswitch vport is disabled$/, "vport-disabled", "the VF does not exist or the e-switch is not in switchdev"],
    [/^Invalid port$/, "invalid-port", "the port is not a VF or SF function port"],
    [/^Failed getting HCA caps$/, "hca-caps-failed", "firmware command failed while reading the VF capabilities"],
    [/^Failed setting HCA migratable cap$/, "migratable-set-failed",
        "firmware refused the change; set migratable while the VF is not bound to a driver"],
];

const ANSWERS: [string, DevlinkErrorKind, string][] = [
    ["Device or resource busy", "busy", "the device is in use"],
    ["Operation not supported", "not-supported", "the kernel or driver does not support this operation"],
    ["No such device", "no-such-device", "no devlink device or port with that handle"],
    ["Operation not permitted", "permission-denied", "needs administrative access"],
    ["Invalid argument", "invalid-argument", "the kernel rejected the request"],
];

interface Read {
    extack?: { driver?: string; message: string; line: Line };
    answer?: string;
    word?: { kind: "unknown-option" | "unknown-command"; word: string; line: Line };
}

function readLines(text: string): Read {
    const r: Read = {};
    for (const line of requireContent(text)) {
        const t = line.text.trim();
        let m: RegExpExecArray | null;
        if ((m = /^Error: (?:([a-z0-9_]+): )?(.+?)\.?$/.exec(t)) && !r.extack) {
            r.extack = { message: m[2], line, ...(m[1] ? { driver: m[1] } : {}) };
        } else if ((m = /^(?:kernel|devlink) answers: (.+)$/.exec(t)) && r.answer === undefined) {
            r.answer = m[1];
        } else if ((m = /^Unknown option "(.*)"$/.exec(t)) && !r.word) {
            r.word = { kind: "unknown-option", word: m[1], line };
        } else if ((m = /^Command "(.*)" not found$/.exec(t)) && !r.word) {
            r.word = { kind: "unknown-command", word: m[1], line };
        } else {
            fail(line, "not a devlink error line");
        }
    }
    return r;
}

export function parseDevlinkError(text: string): DevlinkError {
    const r = readLines(text);
    const base = {
        ...(r.extack?.driver ? { driver: r.extack.driver } : {}),
        ...(r.answer !== undefined ? { answer: r.answer } : {}),
    };
    if (r.extack) {
        const known = EXTACK.find(([re]) => re.test(r.extack?.message ?? ""));
        if (known)
            return { kind: known[1], message: r.extack.message, hint: known[2], ...base };
    }
    if (r.word)
        return {
            kind: r.word.kind, message: r.word.line.text.trim(), word: r.word.word,
            hint: r.word.kind === "unknown-option" ? "iproute2 too old for this option (migratable needs >= 6.2)"
                : "no such devlink command",
            ...base,
        };
    const ans = ANSWERS.find(([s]) => s === r.answer);
    if (ans && !r.extack)
        return { kind: ans[1], message: ans[0], hint: ans[2], ...base };
    if (r.extack)
        fail(r.extack.line, `unknown kernel message "${r.extack.message}"`);
    return fail(null, r.answer !== undefined ? `unknown answer "${r.answer}"` : "no error message found");
}
