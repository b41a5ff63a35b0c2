import { installFakeCockpit } from "../fake-cockpit";
import { explainToolFailure } from "../../../src/parsers/tool-failure";

beforeAll(() => { installFakeCockpit() });

describe("a failed command's output explained by its tool's error parser", () => {
    test("devlink: the kernel's extack names the cause", () => {
        expect(explainToolFailure(["devlink", "dev", "eswitch", "set", "pci/0000:e1:00.0", "mode", "switchdev"], "",
                                  "Error: mlx5_core: Can't change mode, E-Switch is busy.\nkernel answers: Device or resource busy\n"))
            .toMatch(/^The e-switch is in use/);
        expect(explainToolFailure(["devlink", "port", "function", "set", "pci/0000:e1:00.0/1", "migratable", "enable"], "",
                                  'Unknown option "migratable"\n')).toMatch(/iproute2 6\.2/);
    });

    test("ovs-vsctl: the database down, a missing bridge; an error the parser does not know is left alone", () => {
        expect(explainToolFailure(["ovs-vsctl", "set", "Open_vSwitch", ".", "other_config:hw-offload=true"], "",
                                  "ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (Connection refused)\n"))
            .toMatch(/openvswitch\.service/);
        expect(explainToolFailure(["ovs-vsctl", "--if-exists", "del-port", "br-vf", "eth1"], "", "ovs-vsctl: no bridge named br-vf\n"))
            .toBe("Open vSwitch has no bridge named br-vf");
        expect(explainToolFailure(["ovs-vsctl", "add-port", "br-vf", "eth1"], "",
                                  "ovs-vsctl: eth1 is actually attached to bridge br-other\n")).toBeNull();
    });

    test("mstconfig set and mstfwreset: their -E- line, stdout and stderr read as one transcript", () => {
        expect(explainToolFailure(["mstconfig", "-y", "-d", "0000:e1:00.0", "set", "SRIOV_EN=1"], "-E- Failed to open the device\n", ""))
            .toBe("mstconfig changed no firmware setting: Failed to open the device");
        expect(explainToolFailure(["mstconfig", "-d", "0000:e1:00.0", "-e", "query"], "-E- Failed to open the device\n", "")).toBeNull();
        expect(explainToolFailure(["mstfwreset", "-d", "0000:c1:00.0", "-y", "reset"],
                                  "\nThe reset level for device, 0000:c1:00.0 is:\n\n3: Driver restart and PCI reset\n" +
                                  "-I- Sending Reset Command To Fw             -Failed\n",
                                  "-E- Failed to send Reset Command To Fw\n"))
            .toBe("The firmware reset did not happen: Failed to send Reset Command To Fw");
    });

    test("other tools, and output no parser knows: null (the runner shows the tool's lines alone)", () => {
        expect(explainToolFailure(["ip", "link", "set", "dev", "eth0", "up"], "", "RTNETLINK answers: Device or resource busy\n")).toBeNull();
        expect(explainToolFailure(["devlink", "dev", "eswitch", "set"], "", "something else\n")).toBeNull();
    });
});
