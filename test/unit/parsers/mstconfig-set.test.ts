import { afterCommand } from "./samples";
import { parsed, parseError } from "./expect-parse";

const SAMPLE = afterCommand("mstconfig-set.txt", "# mstconfig -d 5e:00.0 set SRIOV_EN=1 NUM_OF_VFS=8");

describe("mstconfig-set on mstconfig-set.txt (ConnectX-5, mstflint issue #551)", () => {
    test("changes, the y answer and 'Please reboot' (active only after reboot)", () => {
        expect(parsed("mstconfig-set", SAMPLE)).toEqual({
            device: { deviceType: "ConnectX5", name: "MCX512A-ACA_Ax_Bx", device: "5e:00.0", description: expect.stringMatching(/^ConnectX-5 EN/) },
            changes: [
                { name: "SRIOV_EN", nextBoot: { raw: "True(1)", label: "True", number: 1 }, new: { raw: "True(1)", label: "True", number: 1 } },
                { name: "NUM_OF_VFS", nextBoot: { raw: "8", number: 8 }, new: { raw: "8", number: 8 } },
            ],
            answer: "y",
            outcome: "applied-reboot",
        });
    });

    test("power-cycle variant of the last line (mlxcfg_generic_commander.cpp)", () => {
        const text = SAMPLE.replace("-I- Please reboot machine", "-I- Please power cycle machine");
        expect(parsed("mstconfig-set", text).outcome).toBe("applied-power-cycle");
    });

    test("answer n -> aborted", () => {
        const text = SAMPLE.replace(/\[n\] : y\n[\s\S]*$/, "[n] : n\n-E- Aborted by user.\n");
        expect(parsed("mstconfig-set", text)).toMatchObject({ answer: "n", outcome: "aborted", error: "Aborted by user." });
    });
});

describe("mstconfig-set edge cases", () => {
    test("device error before anything", () => {
        expect(parsed("mstconfig-set", "-E- Failed to open the device\n")).toEqual({ changes: [], outcome: "error", error: "Failed to open the device" });
    });

    test("truncated after the prompt or before it", () => {
        const cut = SAMPLE.split("Applying")[0];
        expect(parseError("mstconfig-set", cut).message).toMatch(/truncated/);
        expect(parseError("mstconfig-set", SAMPLE.split(" Apply new")[0]).message).toMatch(/before the confirmation prompt/);
        expect(parseError("mstconfig-set", SAMPLE.replace("Applying... Done!\n", "")).message).toMatch(/after the prompt/);
    });

    test("an unexpected line after the prompt names it", () => {
        const e = parseError("mstconfig-set", SAMPLE.replace("Applying... Done!", "Applying... Maybe"));
        expect(e.text).toBe("Applying... Maybe");
    });

    test("empty output", () => {
        expect(parseError("mstconfig-set", "").line).toBe(0);
    });
});
