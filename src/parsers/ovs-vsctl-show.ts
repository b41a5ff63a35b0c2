/**
 * `ovs-vsctl show`: first line the Open_vSwitch UUID; 4 spaces "Bridge", "Manager", "ovs_version:";
 * 8 spaces "Port", "Controller", "fail_mode:", "datapath_type:"; 12 "Interface" and port columns;
 * 16 interface columns ("type:", "options:", "error:"). Port order is not stable.
 */
import { fail, Line, requireContent } from "./common";
import { ovsAtom } from "./ovs-strings";

export interface OvsInterface {
    name: string;
    type?: string;
    error?: string;
    /** Every "key: value" line under the interface, raw value (e.g. options: {peer=x}). */
    columns: Record<string, string>;
}

export interface OvsPort {
    name: string;
    interfaces: OvsInterface[];
    columns: Record<string, string>;
}

export interface OvsBridge {
    name: string;
    ports: OvsPort[];
    controllers: string[];
    columns: Record<string, string>;
}

export interface OvsShow {
    uuid: string;
    bridges: OvsBridge[];
    managers: string[];
    ovsVersion?: string;
}

function name(s: string, line: Line): string {
    const v = ovsAtom(s);
    if (v === undefined)
        fail(line, `malformed name ${s}`);
    return v;
}

function column(t: string, line: Line): [string, string] {
    const m = /^([a-z_][a-z0-9_:-]*): (.*)$/.exec(t);
    if (!m)
        fail(line, 'expected "column: value"');
    return [m[1], m[2]];
}

export function parseOvsShow(text: string): OvsShow {
    const lines = requireContent(text);
    const first = lines[0];
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(first.text.trim()))
        fail(first, "expected the Open_vSwitch record UUID");
    const out: OvsShow = { uuid: first.text.trim(), bridges: [], managers: [] };
    let bridge: OvsBridge | null = null;
    let port: OvsPort | null = null;
    let iface: OvsInterface | null = null;
    // Controller / Manager sub-lines (is_connected: true) belong to no table we read.
    let underTarget = 0;
    for (const line of lines.slice(1)) {
        const indent = /^ */.exec(line.text)?.[0].length ?? 0;
        const t = line.text.trim();
        if (underTarget && indent > underTarget) {
            column(t, line);
            continue;
        }
        underTarget = 0;
        let m: RegExpExecArray | null;
        if (indent === 4) {
            bridge = port = iface = null;
            if ((m = /^Bridge (.+)$/.exec(t))) {
                bridge = { name: name(m[1], line), ports: [], controllers: [], columns: {} };
                out.bridges.push(bridge);
            } else if ((m = /^Manager (.+)$/.exec(t))) {
                out.managers.push(name(m[1], line));
                underTarget = 4;
            } else if ((m = /^ovs_version: (.+)$/.exec(t))) {
                out.ovsVersion = name(m[1], line);
            } else {
                fail(line, "unexpected line at the Open_vSwitch level");
            }
        } else if (indent === 8 && bridge) {
            port = iface = null;
            if ((m = /^Port (.+)$/.exec(t))) {
                port = { name: name(m[1], line), interfaces: [], columns: {} };
                bridge.ports.push(port);
            } else if ((m = /^Controller (.+)$/.exec(t))) {
                bridge.controllers.push(name(m[1], line));
                underTarget = 8;
            } else {
                const [k, v] = column(t, line);
                bridge.columns[k] = v;
            }
        } else if (indent === 12 && port) {
            iface = null;
            if ((m = /^Interface (.+)$/.exec(t))) {
                iface = { name: name(m[1], line), columns: {} };
                port.interfaces.push(iface);
            } else {
                const [k, v] = column(t, line);
                port.columns[k] = v;
            }
        } else if (indent === 16 && iface) {
            const [k, v] = column(t, line);
            iface.columns[k] = v;
            if (k === "type") iface.type = name(v, line);
            if (k === "error") iface.error = name(v, line);
        } else {
            fail(line, "unexpected indentation or line outside a bridge/port/interface");
        }
    }
    return out;
}
