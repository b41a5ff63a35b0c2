import { afterCommand, readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

describe("devlink-errors on devlink-eswitch-set-errors.txt", () => {
    test("(a) E-Switch busy when going back to legacy", () => {
        const text = afterCommand("devlink-eswitch-set-errors.txt", "devlink dev eswitch set pci/0000:81:00.0 mode legacy");
        expect(parsed("devlink-errors", text)).toMatchObject({
            kind: "eswitch-busy", message: "Can't change mode, E-Switch is busy", driver: "mlx5_core", answer: "Device or resource busy",
        });
    });

    test("(b) as published: the second line is cut after 'kernel' -> parse error naming line 2", () => {
        const lines = readSample("devlink-eswitch-set-errors.txt").split("\n");
        const i = lines.indexOf("Error: mlx5_core: Failed setting eswitch to offloads.");
        const excerpt = lines.slice(i, i + 2).join("\n");
        expect(parseError("devlink-errors", excerpt)).toMatchObject({ line: 2, text: "kernel" });
        // the same with the line complete (the operator log says "invalid argument")
        expect(parsed("devlink-errors", lines[i] + "\nkernel answers: Invalid argument\n"))
            .toMatchObject({ kind: "eswitch-switchdev-failed", answer: "Invalid argument" });
    });
});

describe("devlink-errors on devlink-port-function-set-errors.txt (mlx5 extack strings, iproute2 framing)", () => {
    const strings = readSample("devlink-port-function-set-errors.txt").split("\n").filter(l => l !== "" && !l.startsWith("#"))
        .map(l => l.split(/\s{2,}/)[0]);

    test.each([
        ["Device doesn't support migration", "migration-not-supported"],
        ["Invalid port", "invalid-port"],
        ["Eswitch vport is disabled", "vport-disabled"],
        ["Failed getting HCA caps", "hca-caps-failed"],
        ["Failed setting HCA migratable cap", "migratable-set-failed"],
    ])("extack %s", (msg, kind) => {
        expect(strings).toContain(msg);
        expect(parsed("devlink-errors", `Error: mlx5_core: ${msg}.\nkernel answers: Operation not supported\n`)).toMatchObject({ kind, message: msg });
    });

    test("iproute2 option errors", () => {
        expect(strings).toContain('Unknown option "<word>"');
        expect(parsed("devlink-errors", 'Unknown option "migratable"\n')).toMatchObject({ kind: "unknown-option", word: "migratable" });
        expect(parsed("devlink-errors", 'Command "show" not found\n')).toMatchObject({ kind: "unknown-command", word: "show" });
    });
});

describe("devlink-errors edge cases", () => {
    test("answers without extack", () => {
        expect(parsed("devlink-errors", "devlink answers: No such device\n")).toMatchObject({ kind: "no-such-device" });
        expect(parsed("devlink-errors", "kernel answers: Operation not permitted\n")).toMatchObject({ kind: "permission-denied" });
    });

    test("an unknown kernel message is a parse error on its line, not a generic kind", () => {
        expect(parseError("devlink-errors", "Error: mlx5_core: Something new.\nkernel answers: Invalid argument\n"))
            .toMatchObject({ line: 1, text: "Error: mlx5_core: Something new." });
    });

    test("empty and unrelated text", () => {
        expect(parseError("devlink-errors", "").line).toBe(0);
        expect(parseError("devlink-errors", "Segmentation fault\n").line).toBe(1);
    });
});
