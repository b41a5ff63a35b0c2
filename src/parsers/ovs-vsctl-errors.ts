/**
 * Classifies ovs-vsctl's fatal errors (stderr "ovs-vsctl: <message>", exit status 1), with the format strings
 * of ovs-vsctl.c / lib/db-ctl-base.c listed in ovs-vsctl-exit-codes.md. Anything else is a parse error.
 */
import { fail, requireContent } from "./common";

export type OvsErrorKind =
    | "no-bridge" | "no-port" | "bridge-exists" | "port-exists" | "interface-exists" | "no-key" | "db-connection-failed";

export interface OvsError {
    kind: OvsErrorKind;
    message: string;
    /** The bridge, port, interface or key named by the message. */
    name?: string;
}

const RULES: [RegExp, OvsErrorKind][] = [
    [/^no bridge named (.+)$/, "no-bridge"],
    [/^no port named (.+)$/, "no-port"],
    [/^cannot create a bridge named (.+?) because a bridge named .+ already exists$/, "bridge-exists"],
    [/^cannot create a port named (.+?) because a port named .+ already exists on bridge .+$/, "port-exists"],
    [/^cannot create an interface named (.+?) because an interface named .+ already exists on bridge .+$/, "interface-exists"],
    [/^no key "(.+)" in .+ record ".*" column .+$/, "no-key"],
    [/^.+: database connection failed \((.+)\)$/, "db-connection-failed"],
];

export function parseOvsError(text: string): OvsError {
    const lines = requireContent(text);
    if (lines.length > 1)
        fail(lines[1], "expected a single error line");
    const line = lines[0];
    const m = /^ovs-vsctl: (.+)$/.exec(line.text.trim());
    if (!m)
        fail(line, 'expected "ovs-vsctl: <message>"');
    for (const [re, kind] of RULES) {
        const r = re.exec(m[1]);
        if (r)
            return { kind, message: m[1], name: r[1] };
    }
    return fail(line, "unknown ovs-vsctl error");
}
