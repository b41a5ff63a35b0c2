"""firewall-cmd (firewalld 1.3.4, RHEL 9.6) over the stand-in's D-Bus API: output text and exit codes of the real
one (errors.py: ALREADY_ENABLED 11, NOT_ENABLED 12, INVALID_SERVICE 101, INVALID_PORT 102, INVALID_ZONE 112,
INVALID_ADDR 105, INVALID_RULE 122, MISSING_FAMILY 207, NOT_RUNNING 252)."""
import sys

import dbus

from vfsim_client import message, unwrap

BUS, PATH = "org.fedoraproject.FirewallD1", "/org/fedoraproject/FirewallD1"
CODES = {"ALREADY_ENABLED": 11, "NOT_ENABLED": 12, "INVALID_SERVICE": 101, "INVALID_PORT": 102,
         "INVALID_PROTOCOL": 103, "INVALID_ADDR": 105, "INVALID_ZONE": 112, "INVALID_RULE": 122,
         "MISSING_FAMILY": 207}
VALUE_OPTS = ("zone", "add-port", "remove-port", "query-port", "add-service", "remove-service", "query-service",
              "add-rich-rule", "remove-rich-rule", "query-rich-rule", "timeout", "set-default-zone",
              "change-interface", "remove-interface")


def parse(argv):
    opts = {k: [] for k in VALUE_OPTS}
    flags = set()
    for i, a in enumerate(argv):
        if not a.startswith("--"):
            raise SystemExit(f"usage: see firewall-cmd(1)\nfirewall-cmd: error: unrecognized arguments: {a}")
        key, eq, value = a[2:].partition("=")
        if key in VALUE_OPTS:
            if not eq:
                raise SystemExit(f"firewall-cmd: error: argument --{key}: expected one argument")
            opts[key].append(value)
        else:
            flags.add(key)
    return opts, flags


def port_text(ports):
    def key(p):
        return (p[1], int(p[0].split("-")[0]))
    return " ".join(f"{p}/{proto}" for p, proto in sorted(ports, key=key))


def zone_info(name, s):
    active = " (active)" if s["interfaces"] or s["sources"] else ""
    return "\n".join([
        f"{name}{active}", f"  target: {s['target']}",
        f"  icmp-block-inversion: {'yes' if s['icmp_block_inversion'] else 'no'}",
        "  interfaces: " + " ".join(sorted(s["interfaces"])), "  sources: " + " ".join(s["sources"]),
        "  services: " + " ".join(sorted(s["services"])), "  ports: " + " ".join(f"{p}/{t}" for p, t in s["ports"]),
        "  protocols: " + " ".join(sorted(s["protocols"])), f"  forward: {'yes' if s['forward'] else 'no'}",
        f"  masquerade: {'yes' if s['masquerade'] else 'no'}", "  forward-ports: ", "  source-ports: ",
        "  icmp-blocks: ",
        # firewall/command.py print_zone_policy_info: "  rich rules: " then "\n\t" before each rule
        "  rich rules: " + ("\n\t" if s["rich_rules"] else "") + "\n\t".join(s["rich_rules"])])


class Api:
    """Runtime calls go to the FirewallD1.zone interface; --permanent ones to the config zone object."""

    def __init__(self, bus, permanent):
        self.bus, self.permanent = bus, permanent
        self.main = bus.get_object(BUS, PATH)

    def call(self, iface, method, *args):
        return unwrap(self.main.get_dbus_method(method, f"{BUS}{iface}")(*args))

    def default_zone(self):
        return self.call("", "getDefaultZone")

    def zone_obj(self, zone):
        cfg = self.bus.get_object(BUS, PATH + "/config")
        path = cfg.get_dbus_method("getZoneByName", BUS + ".config")(zone)
        return self.bus.get_object(BUS, path)

    def settings(self, zone):
        if self.permanent:
            return unwrap(self.zone_obj(zone).get_dbus_method("getSettings2", BUS + ".config.zone")())
        return self.call(".zone", "getZoneSettings2", zone)

    def change(self, method, zone, *args):
        if self.permanent:
            return self.zone_obj(zone).get_dbus_method(method, BUS + ".config.zone")(*args)
        extra = (0,) if method.startswith("add") else ()
        return self.call(".zone", method, zone, *args, *extra)

    def query(self, method, zone, *args):
        if self.permanent:
            return bool(self.zone_obj(zone).get_dbus_method(method, BUS + ".config.zone")(*args))
        return bool(self.call(".zone", method, zone, *args))


def split_port(text):
    port, _, proto = text.partition("/")
    if not proto:
        raise dbus.exceptions.DBusException(f"INVALID_PROTOCOL: '{text}' not from {{'tcp'|'udp'|'sctp'|'dccp'}}")
    return port, proto


def sequence(api, zone, method, items, parse_item):
    """Add/remove each item; ALREADY_ENABLED / NOT_ENABLED are warnings, other errors end with their code."""
    codes = []
    for item in items:
        try:
            api.change(method, zone, *parse_item(item))
        except dbus.exceptions.DBusException as e:
            msg = message(e)
            code = CODES.get(msg.split(":")[0], 254)
            if code in (11, 12):
                print(f"Warning: {msg}", file=sys.stderr)
                continue
            if len(items) == 1:
                print(f"Error: {msg}", file=sys.stderr)
                return code
            print(f"Warning: {msg}", file=sys.stderr)
            codes.append(code)
    if codes:
        return codes[0] if len(set(codes)) == 1 else 254
    print("success")
    return 0


def run(bus, opts, flags):
    api = Api(bus, "permanent" in flags)
    zone = opts["zone"][-1] if opts["zone"] else None
    if "state" in flags:
        print("running")
        return 0
    if "get-default-zone" in flags:
        print(api.default_zone())
        return 0
    if "reload" in flags or "complete-reload" in flags:
        api.call("", "reload")
        print("success")
        return 0
    if "runtime-to-permanent" in flags:
        api.call("", "runtimeToPermanent")
        print("success")
        return 0
    if "get-zones" in flags:
        zones = api.call(".config", "getZoneNames") if api.permanent else api.call(".zone", "getZones")
        print(" ".join(zones))
        return 0
    if "get-services" in flags:
        print(" ".join(api.call("", "listServices")))
        return 0
    if "get-active-zones" in flags:
        for name, z in sorted(api.call(".zone", "getActiveZones").items()):
            print(name)
            for key in ("interfaces", "sources"):
                if z.get(key):
                    print(f"  {key}: " + " ".join(z[key]))
        return 0
    zone = zone or api.default_zone()
    s = None
    if flags & {"list-all", "list-ports", "list-services", "list-interfaces", "list-all-zones", "list-rich-rules"}:
        s = api.settings(zone)
    if "list-all-zones" in flags:
        zones = api.call(".config", "getZoneNames") if api.permanent else api.call(".zone", "getZones")
        # firewall-cmd (1.3.4) prints each zone, then an empty message: a blank line after every zone
        sys.stdout.write("".join(zone_info(z, api.settings(z)) + "\n\n" for z in zones))
        return 0
    if "list-all" in flags:
        print(zone_info(zone, s))
        return 0
    if "list-ports" in flags:
        print(port_text(s["ports"]))
        return 0
    if "list-services" in flags:
        print(" ".join(sorted(s["services"])))
        return 0
    if "list-rich-rules" in flags:
        if s["rich_rules"]:
            print("\n".join(s["rich_rules"]))
        return 0
    if "list-interfaces" in flags:
        print(" ".join(sorted(s["interfaces"])))
        return 0
    if opts["change-interface"] and not api.permanent:
        # firewall-cmd.in: --change-interface is changeZoneOfInterface for each interface given
        return sequence(api, zone, "changeZoneOfInterface", opts["change-interface"], lambda x: (x,))
    for key, method, parse_item in (("add-port", "addPort", split_port), ("remove-port", "removePort", split_port),
                                    ("remove-interface", "removeInterface", lambda x: (x,)),
                                    ("add-service", "addService", lambda x: (x,)),
                                    ("remove-service", "removeService", lambda x: (x,)),
                                    ("add-rich-rule", "addRichRule", lambda x: (x,)),
                                    ("remove-rich-rule", "removeRichRule", lambda x: (x,))):
        if opts[key]:
            return sequence(api, zone, method, opts[key], parse_item)
    for key, method, parse_item in (("query-port", "queryPort", split_port),
                                    ("query-service", "queryService", lambda x: (x,)),
                                    ("query-rich-rule", "queryRichRule", lambda x: (x,))):
        if opts[key]:
            yes = api.query(method, zone, *parse_item(opts[key][0]))
            print("yes" if yes else "no")
            return 0 if yes else 1
    print("usage: see firewall-cmd man page\nNo option specified.", file=sys.stderr)
    return 2


def main(argv):
    from vfsim_client import system_bus
    opts, flags = parse(argv)
    if "version" in flags:
        print("1.3.4")
        return 0
    bus = system_bus("FirewallD is not running\n", 252)
    if not bus.name_has_owner(BUS):
        print("not running" if "state" in flags else "FirewallD is not running", file=sys.stderr)
        return 252
    try:
        return run(bus, opts, flags)
    except dbus.exceptions.DBusException as e:
        msg = message(e)
        print(f"Error: {msg}", file=sys.stderr)
        return CODES.get(msg.split(":")[0], 254)
