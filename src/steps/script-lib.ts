/*
 * The bash helpers the exported script and playbook share: src/steps/lib.sh (linted with shellcheck, loaded as text
 * at build time), after the values it takes from the rules (src/rules), so the shell and the page use the same ones.
 */
import LIB_SH from "./lib.sh";
import { KERNEL_ARGS_OFF } from "../host/commands/grubby";
import { VFIO_DRIVERS } from "../rules/vf";
import { MGMT_ROUTES_SH } from "../rules/mgmt";
import { NM_SAVED_UUID_SH, NM_SRIOV_MIN } from "../host/commands/network";
import type { RuleScript, ScriptLine } from "../rules/sriov";
import type { StepScript } from "./types";
import { sh, shSysfs } from "./common";

export const SCRIPT_REFUSED = 4;
export const SCRIPT_REBOOT = 3;

// constant words without quotes: single-quoted as they are
const settings = (): string[] => [
    `VFM_REFUSED=${SCRIPT_REFUSED}`,
    `VFM_VFIO_DRIVERS='${VFIO_DRIVERS.join(" ")}'`,
    `VFM_IOMMU_OFF='${KERNEL_ARGS_OFF.join(" ")}'`,
    `VFM_NM_SRIOV_MIN='${NM_SRIOV_MIN}'`,
];

/** The helpers as the exports embed them: the settings, the rules' own functions, then lib.sh without its shellcheck header comments. */
export const SCRIPT_LIB = [...settings(), MGMT_ROUTES_SH, NM_SAVED_UUID_SH, ...LIB_SH.split("\n").filter(l => !l.startsWith("# shellcheck"))].join("\n").trim();

/** A rule's script (src/rules) as the exports run it: sysfs writes and commands as the command log shows them. */
export function stepScript(s: RuleScript): StepScript {
    const line = (l: ScriptLine): string =>
        typeof l === "string" ? l
            : "when" in l ? `if ${l.when}; then ${l.then.map(line).join("; ")}; fi`
                : "path" in l ? shSysfs(l.path, l.value) : sh(l);
    return { done: s.done, run: s.run.map(line) };
}
