/**
 * Classifies the stderr of `virsh migrate` (and pre-migration calls): lines "error: <class text>: <detail>".
 * Patterns marked SAMPLE come from captured output or libvirt/QEMU source strings in shared/formats;
 * those marked SOURCE are libvirt/QEMU/ssh message texts not captured there (verify on a host).
 * An error that matches nothing is a parse error: the UI shows it raw, as "unknown".
 */
import { fail, requireContent } from "./common";

export type MigrateErrorKind =
    | "vfio-migration-blocker" | "migration-blocked" | "hostdev-not-migratable" | "postcopy-not-allowed"
    | "same-host" | "cpu-incompatible" | "unreachable" | "auth" | "port-in-use" | "domain-exists"
    | "unsafe-storage" | "unsafe-cache" | "snapshots" | "block-job" | "invtsc";

export interface MigrateError {
    kind: MigrateErrorKind;
    /** The useful part: the message without "error:" and libvirt's error-class prefix. */
    message: string;
    /** QEMU's blockers ("cannot migrate domain: a; b") when libvirt listed them. */
    blockers?: string[];
    /** Every "error:" line, without the prefix. */
    lines: string[];
}

const CLASS_PREFIXES = [
    "Requested operation is not valid: ", "Operation not supported: ", "internal error: ", "operation failed: ",
    "Unsafe migration: ", "unsupported configuration: ", "argument unsupported: ", "invalid argument: ",
];

const RULES: [RegExp, MigrateErrorKind][] = [
    [/VFIO device doesn't support migration/, "vfio-migration-blocker"],                          // SAMPLE (QEMU)
    [/^cannot migrate domain: /, "migration-blocked"],                                             // SAMPLE
    [/domain has assigned non-USB host devices/, "hostdev-not-migratable"],                        // SAMPLE
    [/^cannot migrate a domain with <(hostdev|interface) /, "hostdev-not-migratable"],             // SAMPLE
    [/^cannot migrate domain with [0-9]+ snapshots?/, "snapshots"],                                // SAMPLE
    [/domain has active block job/, "block-job"],                                                  // SAMPLE
    [/'invtsc' CPU feature but TSC frequency is not specified/, "invtsc"],                         // SAMPLE
    [/Migration without shared storage is unsafe/, "unsafe-storage"],                             // SAMPLE
    [/Migration may lead to data corruption if disks use cache/, "unsafe-cache"],                  // SAMPLE
    [/[Pp]ost-?copy/, "postcopy-not-allowed"],                                                     // SOURCE
    [/Attempt to migrate guest to the same host/, "same-host"],                                    // SOURCE (from memory in the samples file)
    [/CPU is incompatible with host CPU|guest CPU doesn't match specification/, "cpu-incompatible"], // SOURCE (from memory)
    [/Address already in use|Unable to find an unused port/, "port-in-use"],                       // SOURCE
    [/already exists with uuid|is already active|already exists$/, "domain-exists"],               // SOURCE
    [/Permission denied|[Aa]uthentication (failed|unavailable)|Host key verification failed/, "auth"], // SOURCE
    [/Connection refused|No route to host|Name or service not known|Could not resolve hostname|Connection timed out|Network is unreachable|failed to connect to the hypervisor|End of file while reading data/, "unreachable"], // SOURCE
];

function usefulPart(s: string): string {
    let out = s;
    for (let changed = true; changed;) {
        changed = false;
        for (const p of CLASS_PREFIXES)
            if (out.startsWith(p)) {
                out = out.slice(p.length);
                changed = true;
            }
    }
    return out;
}

export function parseMigrateError(text: string): MigrateError {
    const lines = requireContent(text);
    const messages: string[] = [];
    for (const line of lines) {
        const m = /^error: (.+)$/.exec(line.text.trim());
        if (!m)
            fail(line, 'expected "error: <message>"');
        messages.push(m[1]);
    }
    // The most specific rule wins over line order (a "Failed to save domain" line precedes the cause).
    for (const [re, kind] of RULES) {
        const i = messages.findIndex(msg => re.test(usefulPart(msg)));
        if (i < 0)
            continue;
        const message = usefulPart(messages[i]);
        const out: MigrateError = { kind, message, lines: messages };
        const blocked = /^cannot migrate domain: (.+)$/.exec(message);
        if (blocked)
            out.blockers = blocked[1].split("; ");
        return out;
    }
    return fail(lines[0], "unknown migration error");
}
