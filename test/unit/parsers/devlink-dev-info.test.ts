import { afterCommand, readSample } from "./samples";
import { parsed, parseError } from "./expect-parse";

const FILE = "devlink-dev-info.txt";

/** The JSON written in the sample file's comments: "# {...", continued on "#   ..." lines. */
function commentJson(startsWith: string): string {
    const lines = readSample(FILE).split("\n");
    const i = lines.findIndex(l => l.startsWith(startsWith));
    const out = [lines[i].replace(/^#\s?/, "")];
    for (const l of lines.slice(i + 1)) {
        if (!/^#\s{3}/.test(l)) break;
        out.push(l.replace(/^#\s+/, ""));
    }
    return out.join("");
}

describe("devlink-dev-info on devlink-dev-info.txt", () => {
    test("mlx5 doc sample (odd 3/6/9-space indentation): driver, PSID, running and stored firmware", () => {
        const v = parsed("devlink-dev-info", afterCommand(FILE, "$ devlink dev info pci/0000:00:06.0"));
        expect(v.devices).toEqual([{
            handle: "pci/0000:00:06.0", bus: "pci", device: "0000:00:06.0", driver: "mlx5_core",
            versions: { fixed: { "fw.psid": "MT_0000000009" }, running: { "fw.version": "16.26.0100" }, stored: { "fw.version": "16.26.0100" } },
            fwVersionRunning: "16.26.0100", fwVersionStored: "16.26.0100", psid: "MT_0000000009",
        }]);
    });

    test("JSON shape from the comments (iproute2 source; serial_number placeholder)", () => {
        const v = parsed("devlink-dev-info", commentJson('# {"info":{"pci/0000:00:06.0"'));
        expect(v.devices[0]).toMatchObject({ driver: "mlx5_core", serialNumber: "...", psid: "MT_...", fwVersionRunning: "28.x.y" });
    });

    test("the Go test fixture's JSON (only fixed fw.psid): no firmware version is reported rather than a default", () => {
        const v = parsed("devlink-dev-info", commentJson('# {"info":{"pci/<bdf>"').replace("<bdf>", "0000:e1:00.0"));
        expect(v.devices[0]).toMatchObject({ psid: "NVD0000000033", serialNumber: "<serial>" });
        expect(v.devices[0].fwVersionRunning).toBeUndefined();
    });

    test('the real failure text of nic-configuration-operator #496 ("Operation not supported") is a parse error', () => {
        expect(parseError("devlink-dev-info", "devlink answers: Operation not supported\n")).toMatchObject({ line: 1 });
    });
});

describe("devlink-dev-info edge cases", () => {
    const TEXT = "pci/0000:e1:00.0:\n  driver mlx5_core\n  serial_number MT2233X01234\n  board.serial_number MT2233X01234\n" +
        "  versions:\n      fixed:\n        fw.psid MT_0000000834\n      running:\n        fw.version 28.42.1000\n        fw 28.42.1000\n" +
        "      stored:\n        fw.version 28.43.1014\n        fw 28.43.1014\n";

    test("iproute2 layout with serials; stored differs from running after a flash", () => {
        const d = parsed("devlink-dev-info", TEXT).devices[0];
        expect(d).toMatchObject({ serialNumber: "MT2233X01234", boardSerialNumber: "MT2233X01234", fwVersionRunning: "28.42.1000", fwVersionStored: "28.43.1014" });
    });

    test("empty and truncated output", () => {
        expect(parseError("devlink-dev-info", "")).toMatchObject({ line: 0, message: "empty output" });
        const e = parseError("devlink-dev-info", "pci/0000:e1:00.0:\n  driver mlx5_core\n  versions:\n      fixed\n");
        expect(e).toMatchObject({ line: 4, text: "      fixed" });
    });

    // review R16: a newer iproute2 or kernel adds attributes; the host must not fail for one the page does not read
    test("an attribute the page does not know is ignored, the others read", () => {
        expect(parsed("devlink-dev-info", "pci/0000:e1:00.0:\n  driver mlx5_core\n  weird thing\n").devices[0]).toMatchObject({ driver: "mlx5_core" });
        const json = '{"info":{"pci/0000:e1:00.0":{"driver":"mlx5_core","new_key":1,"versions":{"running":{"fw.version":"28.43.1014"},"pending":{}}}}}';
        expect(parsed("devlink-dev-info", json).devices[0]).toMatchObject({ driver: "mlx5_core" });
    });

    test("a version before fixed/running/stored is an error", () => {
        expect(parseError("devlink-dev-info", "pci/0000:e1:00.0:\n  versions:\n    fw.version 1\n").line).toBe(3);
    });

    test("JSON with a numeric version is an error (line 0)", () => {
        const e = parseError("devlink-dev-info", '{"info":{"pci/0000:e1:00.0":{"versions":{"running":{"fw.version":28}}}}}');
        expect(e.line).toBe(0);
        expect(e.message).toMatch(/fw\.version/);
    });

    test("hostile values are kept as data", () => {
        const v = parsed("devlink-dev-info", "pci/0000:e1:00.0:\n  driver <script>x</script>\n");
        expect(v.devices[0].driver).toBe("<script>x</script>");
    });
});
