/**
 * `devlink port show` (text and -j), with the `function:` attributes (hw_addr, state, opstate, roce,
 * migratable, ...). iproute2 prints "function:" at +2 and its attributes at +4, but docs show other
 * indentation, so lines are recognised by their shape, not their indentation.
 * `migratable` is absent (undefined here) when the kernel, iproute2 or firmware does not support it.
 */
import {
    fail, failJson, isJsonText, jsonBool, jsonObject, jsonOneOf, jsonString, jsonUint, Line, oneOf,
    pairs, parseJson, tokens, uint, contentLines,
} from "./common";
import { DevlinkHandle, readDevlinkHandle } from "./devlink-dev";

export const PORT_FLAVOURS = ["physical", "cpu", "dsa", "pcipf", "pcivf", "pcisf", "virtual", "unused"] as const;
export const PORT_TYPES = ["eth", "ib", "auto", "notset"] as const;
export type PortFlavour = typeof PORT_FLAVOURS[number];
export type PortType = typeof PORT_TYPES[number];

export interface DevlinkPortFunction {
    hwAddr?: string;
    state?: "active" | "inactive";
    opstate?: "attached" | "detached";
    roce?: boolean;
    migratable?: boolean;
    ipsecCrypto?: boolean;
    ipsecPacket?: boolean;
    maxIoEqs?: number;
}

export interface DevlinkPortRecord {
    /** "pci/0000:e1:00.0/1" */
    handle: string;
    /** The devlink instance: "pci/0000:e1:00.0" */
    dev: DevlinkHandle;
    index: number;
    type?: PortType;
    desType?: PortType;
    netdev?: string;
    ibdev?: string;
    flavour?: PortFlavour;
    controller?: number;
    pfnum?: number;
    vfnum?: number;
    sfnum?: number;
    external?: boolean;
    port?: number;
    splittable?: boolean;
    splitGroup?: number;
    lanes?: number;
    lc?: number;
    function?: DevlinkPortFunction;
}

export interface DevlinkPortList {
    ports: DevlinkPortRecord[];
}

/** One reader for text tokens and JSON values: the text form gives strings, JSON gives typed values. */
interface ValueReader {
    str(v: unknown, key: string): string;
    num(v: unknown, key: string): number;
    bool(v: unknown, key: string): boolean;
    enumOf<T extends string>(v: unknown, allowed: readonly T[], key: string): T;
    fail(key: string, v: unknown, message: string): never;
}

function textReader(line: Line): ValueReader {
    return {
        str: v => v as string,
        num: (v, key) => uint(v as string, line, key),
        bool: (v, key) => oneOf(v as string, ["true", "false"], line, key) === "true",
        enumOf: (v, allowed, key) => oneOf(v as string, allowed, line, key),
        fail: (key, _v, message) => fail(line, `${key}: ${message}`),
    };
}

function jsonReader(path: string): ValueReader {
    return {
        str: (v, key) => jsonString(v, `${path}.${key}`),
        num: (v, key) => jsonUint(v, `${path}.${key}`),
        bool: (v, key) => jsonBool(v, `${path}.${key}`),
        enumOf: (v, allowed, key) => jsonOneOf(v, allowed, `${path}.${key}`),
        fail: (key, v, message) => failJson(`${path}.${key}`, v, message),
    };
}

const ENABLE = ["enable", "disable"] as const;

function setFunctionAttr(f: DevlinkPortFunction, key: string, v: unknown, r: ValueReader): void {
    switch (key) {
    case "hw_addr": f.hwAddr = r.str(v, key); break;
    case "state": f.state = r.enumOf(v, ["active", "inactive"] as const, key); break;
    case "opstate": f.opstate = r.enumOf(v, ["attached", "detached"] as const, key); break;
    case "roce": f.roce = r.enumOf(v, ENABLE, key) === "enable"; break;
    case "migratable": f.migratable = r.enumOf(v, ENABLE, key) === "enable"; break;
    case "ipsec_crypto": f.ipsecCrypto = r.enumOf(v, ENABLE, key) === "enable"; break;
    case "ipsec_packet": f.ipsecPacket = r.enumOf(v, ENABLE, key) === "enable"; break;
    case "max_io_eqs": f.maxIoEqs = r.num(v, key); break;
    default: break; // newer iproute2 and kernels add attributes: one this page does not use is ignored, never a failed host
    }
}

function setPortAttr(p: DevlinkPortRecord, key: string, v: unknown, r: ValueReader): void {
    switch (key) {
    case "type": p.type = r.enumOf(v, PORT_TYPES, key); break;
    case "des_type": p.desType = r.enumOf(v, PORT_TYPES, key); break;
    case "netdev": p.netdev = r.str(v, key); break;
    case "ibdev": p.ibdev = r.str(v, key); break;
    case "flavour": p.flavour = r.enumOf(v, PORT_FLAVOURS, key); break;
    case "controller": p.controller = r.num(v, key); break;
    case "pfnum": p.pfnum = r.num(v, key); break;
    case "vfnum": p.vfnum = r.num(v, key); break;
    case "sfnum": p.sfnum = r.num(v, key); break;
    case "external": p.external = r.bool(v, key); break;
    case "port": p.port = r.num(v, key); break;
    case "splittable": p.splittable = r.bool(v, key); break;
    case "split_group": p.splitGroup = r.num(v, key); break;
    case "lanes": p.lanes = r.num(v, key); break;
    case "lc": p.lc = r.num(v, key); break;
    default: break; // newer iproute2 and kernels add attributes: one this page does not use is ignored, never a failed host
    }
}

const PORT_HANDLE = /^(\S+)\/(0|[1-9][0-9]*)$/;

function newPort(handle: string, fail_: (m: string) => never): DevlinkPortRecord {
    const m = PORT_HANDLE.exec(handle);
    const dev = m ? readDevlinkHandle(m[1]) : undefined;
    if (!m || !dev)
        return fail_(`"${handle}" is not a port handle like pci/0000:e1:00.0/1`);
    return { handle: `${dev.handle}/${m[2]}`, dev, index: Number(m[2]) };
}

function parseJsonPorts(text: string): DevlinkPortList {
    const root = jsonObject(parseJson(text), "$");
    const ports = jsonObject(root.port, "$.port");
    return {
        ports: Object.keys(ports).map(key => {
            const path = `$.port["${key}"]`;
            const p = newPort(key, m => failJson(path, key, m));
            const o = jsonObject(ports[key], path);
            for (const [k, v] of Object.entries(o)) {
                if (k === "function") {
                    const f: DevlinkPortFunction = {};
                    const fo = jsonObject(v, `${path}.function`);
                    for (const [fk, fv] of Object.entries(fo))
                        setFunctionAttr(f, fk, fv, jsonReader(`${path}.function`));
                    p.function = f;
                } else {
                    setPortAttr(p, k, v, jsonReader(path));
                }
            }
            return p;
        }),
    };
}

export function parseDevlinkPort(text: string): DevlinkPortList {
    if (isJsonText(text))
        return parseJsonPorts(text);
    // An empty answer is a valid empty list (RHEL kernels list no mlx5 port in legacy mode).
    const out: DevlinkPortRecord[] = [];
    let cur: DevlinkPortRecord | null = null;
    let inFunction = false;
    for (const line of contentLines(text)) {
        const t = line.text.trim();
        const head = /^(\S+\/\S+\/\S+): ?(.*)$/.exec(t);
        if (head) {
            cur = newPort(head[1], m => fail(line, m));
            for (const [k, v] of pairs(tokens(head[2]), line, "port attributes"))
                setPortAttr(cur, k, v, textReader(line));
            out.push(cur);
            inFunction = false;
            continue;
        }
        if (!cur)
            fail(line, 'expected a port line like "pci/0000:e1:00.0/1: type eth ..."');
        if (t === "function:") {
            if (cur.function)
                fail(line, 'second "function:" block for one port');
            cur.function = {};
            inFunction = true;
            continue;
        }
        if (!inFunction || !cur.function)
            fail(line, 'unexpected line (not a port line nor under "function:")');
        for (const [k, v] of pairs(tokens(t), line, "function attributes"))
            setFunctionAttr(cur.function, k, v, textReader(line));
    }
    return { ports: out };
}

/** "pci/0000:E1:00.0" or "0000:e1:00.0" -> "pci/0000:e1:00.0" */
function pfHandle(pf: string): string {
    const withBus = pf.includes("/") ? pf : `pci/${pf}`;
    return readDevlinkHandle(withBus)?.handle ?? withBus;
}

/**
 * The uplink port of PF `pf` (flavour physical), which names the PF's own netdev; undefined when devlink lists none.
 * The PF's sysfs net/ folder cannot tell: in switchdev it also holds every VF representor.
 */
export function findPhysicalPort(ports: readonly DevlinkPortRecord[], pf: string): DevlinkPortRecord | undefined {
    const handle = pfHandle(pf);
    return ports.find(p => p.dev.handle === handle && p.flavour === "physical");
}

/**
 * The devlink port of VF `vfnum` on PF `pf`: flavour pcivf + vfnum on that PF's devlink instance.
 * Never assume "/1": mlx5 numbers ports (vhca_id << 16) | (vfnum + 1). Ports of an external controller
 * (BlueField host side) are skipped. Undefined when absent.
 */
export function findVfPort(ports: readonly DevlinkPortRecord[], pf: string, vfnum: number): DevlinkPortRecord | undefined {
    const handle = pfHandle(pf);
    return ports.find(p => p.dev.handle === handle && p.flavour === "pcivf" && p.vfnum === vfnum &&
        p.external !== true);
}
