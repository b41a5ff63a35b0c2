/*
 * The PackageKit stand-in, driven with the calls Cockpit's pkg/lib/packagekit.js makes (CreateTransaction, then
 * Resolve / InstallPackages on the transaction, watching its signals and properties), and rpm -q reading the
 * host's package list that the install changed.
 */
import { Host, waitFor } from "./host";

const PK = "org.freedesktop.PackageKit";
const TX = "org.freedesktop.PackageKit.Transaction";
const FILTER_ARCH_NOT_SOURCE_NEWEST = (1 << 18) | (1 << 21) | (1 << 16);
const MSTFLINT_ID = "mstflint;4.28.0-1.el9;x86_64;rhel-9-for-x86_64-appstream-rpms";

describe("PackageKit stand-in and rpm", () => {
    let host: Host;

    beforeAll(async () => {
        host = new Host({
            services: {
                packages: {
                    installed: ["NetworkManager-1.48.10-5.el9_5", "openvswitch3.3-3.3.0-49.el9fdp"],
                    available: ["mstflint-4.28.0-1.el9", "NetworkManager-ovs-1.48.10-5.el9_5"],
                    install_seconds: 2,
                },
            },
        });
        await host.start();
    });

    afterAll(async () => {
        await host.stop();
    });

    function transaction(): string {
        return (host.busctl(["call", PK, "/org/freedesktop/PackageKit", PK, "CreateTransaction"]) as string[])[0];
    }

    /** The signal lines of one transaction as gdbus monitor prints them. */
    function linesOf(log: string, tx: string): string[] {
        return log.split("\n").filter(l => l.startsWith(`${tx}: `)).map(l => l.slice(tx.length + 2));
    }

    test("rpm -q answers from the installed list with rpm's text and exit codes", () => {
        expect(host.run(["rpm", "-q", "NetworkManager", "mstflint", "nope"])).toEqual({
            status: 2, stderr: "",
            stdout: "NetworkManager-1.48.10-5.el9_5.x86_64\npackage mstflint is not installed\n" +
                "package nope is not installed\n",
        });
        expect(host.ok(["rpm", "-q", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n", "openvswitch3.3"]))
                .toBe("openvswitch3.3 3.3.0-49.el9fdp\n");
        expect(host.ok(["rpm", "-qa"])).toBe("NetworkManager-1.48.10-5.el9_5.x86_64\nopenvswitch3.3-3.3.0-49.el9fdp.x86_64\n");
    });

    test("Resolve reports installed and available packages with PackageKit ids", async () => {
        const signals = await host.monitor(PK);
        const tx = transaction();
        host.busctl(["call", PK, tx, TX, "Resolve", "tas", String(FILTER_ARCH_NOT_SOURCE_NEWEST), "3",
                     "mstflint", "NetworkManager", "nope"]);
        await waitFor("Finished", () => linesOf(signals(), tx).some(l => l.includes("Finished")));
        const packages = linesOf(signals(), tx).filter(l => l.includes("Transaction.Package "));
        expect(packages).toEqual([
            `${TX}.Package (uint32 1, 'NetworkManager;1.48.10-5.el9_5;x86_64;installed:rhel-9-for-x86_64-baseos-rpms', ` +
                "'Network connection manager and user applications')",
            `${TX}.Package (uint32 2, '${MSTFLINT_ID}', 'Mellanox firmware burning tool')`,
        ]);
        expect(linesOf(signals(), tx).find(l => l.includes("Finished"))).toMatch(/Finished \(uint32 1, uint32 \d+\)/);
    });

    test("InstallPackages takes seconds with rising Percentage, then rpm -q finds the package", async () => {
        const signals = await host.monitor(PK);
        const tx = transaction();
        const t0 = Date.now();
        host.busctl(["call", PK, tx, TX, "InstallPackages", "tas", "0", "1", MSTFLINT_ID]);
        await waitFor("Finished", () => linesOf(signals(), tx).some(l => l.includes("Finished")), 20000);
        const elapsed = Date.now() - t0;
        expect(elapsed).toBeGreaterThan(1500);

        const lines = linesOf(signals(), tx);
        const percentages = lines.map(l => /'Percentage': <uint32 (\d+)>/.exec(l)).filter(m => m).map(m => Number(m![1]));
        expect(percentages.length).toBeGreaterThanOrEqual(10);
        expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
        expect(percentages[percentages.length - 1]).toBe(100);
        expect(lines.some(l => l.includes("'Status': <uint32 8>") && l.includes("'AllowCancel': <true>"))).toBe(true);
        expect(lines.some(l => l.includes("'Status': <uint32 9>"))).toBe(true);
        expect(lines.find(l => l.includes("Finished"))).toMatch(/Finished \(uint32 1, uint32 \d+\)/);

        expect(host.run(["rpm", "-q", "mstflint"])).toMatchObject({ status: 0, stdout: "mstflint-4.28.0-1.el9.x86_64\n" });
    });

    test("installing an installed package fails with ErrorCode", async () => {
        const signals = await host.monitor(PK);
        const tx = transaction();
        host.busctl(["call", PK, tx, TX, "InstallPackages", "tas", "0", "1", MSTFLINT_ID]);
        await waitFor("Finished", () => linesOf(signals(), tx).some(l => l.includes("Finished")));
        expect(linesOf(signals(), tx)).toContain(`${TX}.ErrorCode (uint32 9, 'mstflint is already installed')`);
        expect(linesOf(signals(), tx).find(l => l.includes("Finished"))).toMatch(/Finished \(uint32 2, /);
    });

    test("Cancel during the download stops the install; the package stays uninstalled", async () => {
        const signals = await host.monitor(PK);
        const tx = transaction();
        host.busctl(["call", PK, tx, TX, "InstallPackages", "tas", "0", "1",
                     "NetworkManager-ovs;1.48.10-5.el9_5;x86_64;rhel-9-for-x86_64-appstream-rpms"]);
        await waitFor("AllowCancel", () => linesOf(signals(), tx).some(l => l.includes("'AllowCancel': <true>")));
        host.busctl(["call", PK, tx, TX, "Cancel"]);
        await waitFor("Finished", () => linesOf(signals(), tx).some(l => l.includes("Finished")));
        expect(linesOf(signals(), tx)).toContain(`${TX}.ErrorCode (uint32 17, 'The task was stopped successfully')`);
        expect(linesOf(signals(), tx).find(l => l.includes("Finished"))).toMatch(/Finished \(uint32 3, /);
        expect(host.run(["rpm", "-q", "NetworkManager-ovs"]))
                .toMatchObject({ status: 1, stdout: "package NetworkManager-ovs is not installed\n" });
    });
});
