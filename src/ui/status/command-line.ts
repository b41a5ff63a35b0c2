import { copyableLine, quoteArgv } from "../../session/show";
import type { FixCommand } from "../../checks/types";

/** A fix as the admin would paste it: the command, or the sysfs write as the page performs it (tee, value on stdin). */
export function fixLine(c: FixCommand): string {
    return "path" in c ? copyableLine(["tee", "--", c.path], c.value + "\n") : quoteArgv(c);
}
