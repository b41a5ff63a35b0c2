/**
 * ovs-vsctl query outputs:
 * - `get Open_vSwitch . other_config` -> a map {hw-offload="true", max-idle="300000"} ({} when empty);
 *   the same map in `list Open_vSwitch` as "other_config        : {...}";
 * - `get Open_vSwitch . other_config:hw-offload` -> one atom, "true" (quoted);
 * - `list-br`, `list-ports <br>` -> one name per line (empty output = none).
 */
import { fail, Line, requireContent } from "./common";
import { ovsAtom, readOvsAtom } from "./ovs-strings";

export type OvsOtherConfig =
    | { kind: "map"; entries: Record<string, string> }
    | { kind: "value"; value: string };

function readMap(s: string, line: Line): Record<string, string> {
    if (!s.startsWith("{") || !s.endsWith("}"))
        fail(line, "expected a map {key=value, ...}");
    const entries: Record<string, string> = {};
    let rest = s.slice(1, -1).trim();
    while (rest !== "") {
        const k = readOvsAtom(rest);
        if (!k || !k.rest.startsWith("="))
            fail(line, `malformed map entry at "${rest}"`);
        const v = readOvsAtom(k.rest.slice(1));
        if (!v)
            fail(line, `malformed map value at "${k.rest.slice(1)}"`);
        if (k.value in entries)
            fail(line, `key "${k.value}" appears twice`);
        entries[k.value] = v.value;
        rest = v.rest.trim();
        if (rest.startsWith(","))
            rest = rest.slice(1).trim();
        else if (rest !== "")
            fail(line, `expected "," at "${rest}"`);
    }
    return entries;
}

export function parseOvsOtherConfig(text: string): OvsOtherConfig {
    const lines = requireContent(text);
    if (lines.length > 1)
        fail(lines[1], "expected a single line");
    const line = lines[0];
    const t = line.text.trim();
    const listed = /^other_config\s+: (.*)$/.exec(t);
    if (listed)
        return { kind: "map", entries: readMap(listed[1], line) };
    if (t.startsWith("{"))
        return { kind: "map", entries: readMap(t, line) };
    const v = ovsAtom(t);
    if (v === undefined)
        fail(line, "expected a map or a single value");
    return { kind: "value", value: v };
}

