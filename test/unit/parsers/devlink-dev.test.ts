// No sample of `devlink dev show` is in shared/formats; the format is one handle per line (iproute2).
import { parsed, parseError } from "./expect-parse";

describe("devlink-dev", () => {
    test("text: one handle per line, PCI addresses lowercased", () => {
        expect(parsed("devlink-dev", "pci/0000:E1:00.0\npci/0000:e1:00.1\nauxiliary/mlx5_core.sf.4\n").devices).toEqual([
            { handle: "pci/0000:e1:00.0", bus: "pci", device: "0000:e1:00.0" },
            { handle: "pci/0000:e1:00.1", bus: "pci", device: "0000:e1:00.1" },
            { handle: "auxiliary/mlx5_core.sf.4", bus: "auxiliary", device: "mlx5_core.sf.4" },
        ]);
    });

    test("JSON", () => {
        expect(parsed("devlink-dev", '{"dev":{"pci/0000:e1:00.0":{},"pci/0000:e1:00.1":{}}}').devices.map(d => d.device))
            .toEqual(["0000:e1:00.0", "0000:e1:00.1"]);
    });

    test("no devices: empty list", () => {
        expect(parsed("devlink-dev", "").devices).toEqual([]);
        expect(parsed("devlink-dev", '{"dev":{}}').devices).toEqual([]);
    });

    test("unexpected lines and JSON are errors", () => {
        expect(parseError("devlink-dev", "pci/0000:e1:00.0\nnot a handle\n")).toMatchObject({ line: 2, text: "not a handle" });
        expect(parseError("devlink-dev", '{"dev":{"pci/0000:e1:00.0":{"x":1}}}').line).toBe(0);
        expect(parseError("devlink-dev", '{"dev":').message).toMatch(/invalid JSON/);
    });
});
