import { afterCommand } from "./samples";
import { parsed, parseError } from "./expect-parse";

const SAMPLE = afterCommand("mlxfwreset.txt", "sh-5.1# mlxfwreset -d /dev/mst/mt4129_pciconf0 reset -y");

describe("mstfwreset on mlxfwreset.txt (ConnectX-7, MFT mlxfwreset)", () => {
    test("level 3, y, five Done steps, FW loaded", () => {
        expect(parsed("mstfwreset", SAMPLE)).toEqual({
            device: "/dev/mst/mt4129_pciconf0", level: { number: 3, description: "Driver restart and PCI reset" }, answer: "y",
            steps: ["Sending Reset Command To Fw", "Stopping Driver", "Resetting PCI", "Starting Driver", "Restarting MST"]
                .map(text => ({ text, status: "Done" })),
            warnings: [], success: true,
        });
    });
});

describe("mstfwreset edge cases", () => {
    test("truncated before the final line is an error, never a success", () => {
        expect(parseError("mstfwreset", SAMPLE.replace("-I- FW was loaded successfully.\n", "")).message).toMatch(/truncated/);
    });

    test("-E- line: success false with the message", () => {
        const v = parsed("mstfwreset", SAMPLE.replace("-I- FW was loaded successfully.", "-E- Failed to reset the device"));
        expect(v).toMatchObject({ success: false, error: "Failed to reset the device" });
    });

    test("unexpected line and empty output", () => {
        expect(parseError("mstfwreset", SAMPLE.replace("-I- Resetting PCI", "?? Resetting PCI"))).toMatchObject({ text: "?? Resetting PCI                           -Done" });
        expect(parseError("mstfwreset", "").line).toBe(0);
    });
});
