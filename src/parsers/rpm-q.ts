/**
 * `rpm -q <name>...`: one line per name, "name-version-release.arch" (default query format, no epoch) or
 * "package <name> is not installed". With --whatprovides: "no package provides <name>".
 * Names contain dashes and dots (openvswitch3.3-3.3.0-49.el9fdp.x86_64): split from the right.
 */
import { fail, requireContent } from "./common";

export type RpmPackage =
    | { installed: true; name: string; version: string; release: string; arch: string; nevra: string }
    | { installed: false; name: string };

export interface RpmQuery {
    packages: RpmPackage[];
}

const NVRA = /^(\S+)-([^-\s]+)-([^-\s]+)\.([A-Za-z0-9_]+)$/;

export function parseNevra(s: string): RpmPackage | undefined {
    const m = NVRA.exec(s);
    if (!m || !/^[A-Za-z0-9_+.~^]+$/.test(m[2]))
        return undefined;
    return { installed: true, name: m[1], version: m[2], release: m[3], arch: m[4], nevra: s };
}

export function parseRpmQ(text: string): RpmQuery {
    return {
        packages: requireContent(text).map(line => {
            const t = line.text.trim();
            const missing = /^package (\S+) is not installed$/.exec(t) ?? /^no package provides (\S+)$/.exec(t);
            if (missing)
                return { installed: false, name: missing[1] };
            const p = parseNevra(t);
            if (!p)
                fail(line, 'expected "name-version-release.arch" or "package <name> is not installed"');
            return p;
        }),
    };
}

/** The installed package whose name is `name` or starts with it plus a version (openvswitch3.3 for openvswitch). */
export function findPackage(q: RpmQuery, name: string): RpmPackage | undefined {
    return q.packages.find(p => p.name === name) ??
        q.packages.find(p => p.installed && new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[0-9.]+$`).test(p.name));
}
