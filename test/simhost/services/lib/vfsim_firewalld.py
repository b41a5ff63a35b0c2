"""org.fedoraproject.FirewallD1 stand-in: runtime zones (the FirewallD1.zone interface on the main object) and
permanent zones (config/zone/N objects), both from the host's state file. Errors carry firewalld's codes in the
message ("ALREADY_ENABLED: ..."), as the real daemon's org.fedoraproject.FirewallD1.Exception does."""
import copy
import ipaddress
import re

import dbus
import dbus.service

import vfsim_state
from vfsim_dbus import PropObject

BUS = "org.fedoraproject.FirewallD1"
PATH = "/org/fedoraproject/FirewallD1"
IFACE = "org.fedoraproject.FirewallD1"
ZONE = "org.fedoraproject.FirewallD1.zone"
CONFIG = "org.fedoraproject.FirewallD1.config"
CONFIG_ZONE = "org.fedoraproject.FirewallD1.config.zone"

SERVICES = {
    "ssh": ("SSH", [("22", "tcp")]), "cockpit": ("Cockpit", [("9090", "tcp")]),
    "dhcpv6-client": ("DHCPv6 Client", [("546", "udp")]), "libvirt": ("Virtual Machine Management", [("16509", "tcp")]),
    "libvirt-tls": ("Virtual Machine Management (TLS)", [("16514", "tcp")]),
    "http": ("WWW (HTTP)", [("80", "tcp")]), "https": ("Secure WWW (HTTPS)", [("443", "tcp")]),
    "mdns": ("Multicast DNS (mDNS)", [("5353", "udp")]), "ovsdb": ("OVSDB", [("6640", "tcp")]),
}


def fw_error(code, detail):
    return dbus.exceptions.DBusException(f"{code}: {detail}" if detail else code, name=IFACE + ".Exception")


def check_port(port, protocol):
    if protocol not in ("tcp", "udp", "sctp", "dccp"):
        raise fw_error("INVALID_PROTOCOL", protocol)
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", port)
    if not m or not all(0 < int(p) < 65536 for p in m.groups() if p) or (m[2] and int(m[2]) < int(m[1])):
        raise fw_error("INVALID_PORT", port)


def rich_rule(text):
    """firewalld's normalised text of a rich rule (rich.py Rich_Rule.__str__), for the forms the page uses:
    rule [family="ipv4|ipv6"] [source [NOT] address="A[/N]"] [port port="P[-Q]" protocol="tcp|udp"] accept|reject|drop.
    Other elements are not simulated (README: Limits)."""
    toks = re.findall(r'([A-Za-z-]+)(?:="([^"]*)")?', text)
    if not toks or toks[0] != ("rule", "") or re.sub(r'([A-Za-z-]+)(="[^"]*")?', "", text).strip():
        raise fw_error("INVALID_RULE", f"'{text}': not a rule")
    family = source = port = action = None
    invert = False
    i = 1
    while i < len(toks):
        key, value = toks[i]
        if key == "family" and value in ("ipv4", "ipv6"):
            family = value
        elif key == "source":
            if i + 1 < len(toks) and toks[i + 1] == ("NOT", ""):
                invert, i = True, i + 1
            if i + 1 >= len(toks) or toks[i + 1][0] != "address" or not toks[i + 1][1]:
                raise fw_error("INVALID_RULE", "source: no address")
            source, i = toks[i + 1][1], i + 1
            try:
                net = ipaddress.ip_network(source, strict=False)
            except ValueError:
                raise fw_error("INVALID_ADDR", source) from None
            # rich.py Rich_Rule.check(): an address needs the family, and the family's form
            if family is None:
                raise fw_error("MISSING_FAMILY", "")
            if (family == "ipv6") != (net.version == 6):
                raise fw_error("INVALID_ADDR", source)
        elif key == "port":
            if i + 2 >= len(toks) or toks[i + 1][0] != "port" or toks[i + 2][0] != "protocol":
                raise fw_error("INVALID_RULE", "port: expected port=\"P\" protocol=\"tcp\"")
            check_port(toks[i + 1][1], toks[i + 2][1])
            port, i = (toks[i + 1][1], toks[i + 2][1]), i + 2
        elif key in ("accept", "reject", "drop") and not value and action is None:
            action = key
        else:
            raise fw_error("INVALID_RULE", f"'{key}' is not simulated")
        i += 1
    if action is None:
        raise fw_error("INVALID_RULE", "no action")
    out = "rule"
    if family:
        out += f' family="{family}"'
    if source:
        out += f' source{" NOT" if invert else ""} address="{source}"'
    if port:
        out += f' port port="{port[0]}" protocol="{port[1]}"'
    return f"{out} {action}"


def settings2(z):
    return dbus.Dictionary({
        "target": dbus.String(z.get("target", "default")), "description": dbus.String(z.get("description") or ""),
        "short": dbus.String(z.get("short") or ""),
        "services": dbus.Array(z["services"], signature="s"),
        "ports": dbus.Array([tuple(p.split("/")) for p in z["ports"]], signature="(ss)"),
        "interfaces": dbus.Array(z["interfaces"], signature="s"), "sources": dbus.Array(z["sources"], signature="s"),
        "icmp_blocks": dbus.Array([], signature="s"), "rich_rules": dbus.Array(z.get("rich_rules", []), signature="s"),
        "protocols": dbus.Array([], signature="s"), "source_ports": dbus.Array([], signature="(ss)"),
        "forward_ports": dbus.Array([], signature="(ssss)"),
        "masquerade": dbus.Boolean(False), "forward": dbus.Boolean(True), "icmp_block_inversion": dbus.Boolean(False),
    }, signature="sv")


class ZoneChanges:
    """Check-and-change of one zone in the runtime or permanent set; raises firewalld's errors."""

    @staticmethod
    def apply(kind, zone, what, item, add):
        with vfsim_state.change() as s:
            zones = s["firewall"][kind]
            if zone == "":
                zone = s["firewall"]["default_zone"]
            if zone not in zones:
                raise fw_error("INVALID_ZONE", zone)
            items = zones[zone].setdefault(what, [])
            key = item if what == "rich_rules" else item.replace("/", ":")
            if add and item in items:
                raise fw_error("ALREADY_ENABLED", f"'{key}' already in '{zone}'")
            if not add and item not in items:
                raise fw_error("NOT_ENABLED", f"'{key}' not in '{zone}'")
            if add:
                items.append(item)
            else:
                items.remove(item)
        return zone


class ConfigZone(PropObject):
    def __init__(self, conn, index, name):
        super().__init__(conn, f"{PATH}/config/zone/{index}")
        self.zone = name

    def _z(self):
        z = vfsim_state.load()["firewall"]["permanent"].get(self.zone)
        if z is None:
            raise fw_error("INVALID_ZONE", self.zone)
        return z

    def props(self):
        return {CONFIG_ZONE: {"name": ("s", self.zone), "filename": ("s", f"{self.zone}.xml"),
                              "path": ("s", "/etc/firewalld/zones"), "default": ("b", False),
                              "builtin": ("b", False)}}

    @dbus.service.method(CONFIG_ZONE, in_signature="", out_signature="a{sv}")
    def getSettings2(self):
        return settings2(self._z())

    @dbus.service.method(CONFIG_ZONE, in_signature="", out_signature="a(ss)")
    def getPorts(self):
        return [tuple(p.split("/")) for p in self._z()["ports"]]

    @dbus.service.method(CONFIG_ZONE, in_signature="ss", out_signature="b")
    def queryPort(self, port, protocol):
        return f"{port}/{protocol}" in self._z()["ports"]

    @dbus.service.method(CONFIG_ZONE, in_signature="ss", out_signature="")
    def addPort(self, port, protocol):
        check_port(port, protocol)
        ZoneChanges.apply("permanent", self.zone, "ports", f"{port}/{protocol}", True)
        self.Updated(self.zone)

    @dbus.service.method(CONFIG_ZONE, in_signature="ss", out_signature="")
    def removePort(self, port, protocol):
        ZoneChanges.apply("permanent", self.zone, "ports", f"{port}/{protocol}", False)
        self.Updated(self.zone)

    @dbus.service.method(CONFIG_ZONE, in_signature="", out_signature="as")
    def getRichRules(self):
        return dbus.Array(self._z().get("rich_rules", []), signature="s")

    @dbus.service.method(CONFIG_ZONE, in_signature="s", out_signature="b")
    def queryRichRule(self, rule):
        return rich_rule(rule) in self._z().get("rich_rules", [])

    @dbus.service.method(CONFIG_ZONE, in_signature="s", out_signature="")
    def addRichRule(self, rule):
        ZoneChanges.apply("permanent", self.zone, "rich_rules", rich_rule(rule), True)
        self.Updated(self.zone)

    @dbus.service.method(CONFIG_ZONE, in_signature="s", out_signature="")
    def removeRichRule(self, rule):
        ZoneChanges.apply("permanent", self.zone, "rich_rules", rich_rule(rule), False)
        self.Updated(self.zone)

    @dbus.service.method(CONFIG_ZONE, in_signature="", out_signature="as")
    def getServices(self):
        return self._z()["services"]

    @dbus.service.method(CONFIG_ZONE, in_signature="s", out_signature="b")
    def queryService(self, service):
        return service in self._z()["services"]

    @dbus.service.method(CONFIG_ZONE, in_signature="s", out_signature="")
    def addService(self, service):
        if service not in SERVICES:
            raise fw_error("INVALID_SERVICE", service)
        ZoneChanges.apply("permanent", self.zone, "services", service, True)
        self.Updated(self.zone)

    @dbus.service.method(CONFIG_ZONE, in_signature="s", out_signature="")
    def removeService(self, service):
        ZoneChanges.apply("permanent", self.zone, "services", service, False)
        self.Updated(self.zone)

    @dbus.service.signal(CONFIG_ZONE, signature="s")
    def Updated(self, name):
        pass


class Config(PropObject):
    def __init__(self, conn):
        super().__init__(conn, PATH + "/config")
        self.conn, self.zones = conn, {}

    def zone_object(self, name):
        if name not in vfsim_state.load()["firewall"]["permanent"]:
            raise fw_error("INVALID_ZONE", name)
        if name not in self.zones:
            self.zones[name] = ConfigZone(self.conn, len(self.zones), name)
        return self.zones[name]

    def props(self):
        return {CONFIG: {"DefaultZone": ("s", vfsim_state.load()["firewall"]["default_zone"])}}

    @dbus.service.method(CONFIG, in_signature="", out_signature="as")
    def getZoneNames(self):
        return sorted(vfsim_state.load()["firewall"]["permanent"])

    @dbus.service.method(CONFIG, in_signature="", out_signature="ao")
    def listZones(self):
        return [self.zone_object(n)._object_path for n in self.getZoneNames()]

    @dbus.service.method(CONFIG, in_signature="s", out_signature="o")
    def getZoneByName(self, name):
        return self.zone_object(name)._object_path


class Firewall(PropObject):
    def __init__(self, conn):
        super().__init__(conn, PATH)
        self.config = Config(conn)

    def _fw(self):
        return vfsim_state.load()["firewall"]

    def _zone(self, name):
        fw = self._fw()
        name = name or fw["default_zone"]
        if name not in fw["runtime"]:
            raise fw_error("INVALID_ZONE", name)
        return fw["runtime"][name]

    def props(self):
        return {IFACE: {"version": ("s", "1.3.4"), "interface_version": ("s", "1.3"), "state": ("s", "RUNNING"),
                        "IPv4": ("b", True), "IPv6": ("b", True), "BRIDGE": ("b", True)}}

    @dbus.service.method(IFACE, in_signature="", out_signature="s")
    def getDefaultZone(self):
        return self._fw()["default_zone"]

    @dbus.service.method(IFACE, in_signature="", out_signature="")
    def reload(self):
        with vfsim_state.change() as s:
            s["firewall"]["runtime"] = copy.deepcopy(s["firewall"]["permanent"])
        self.Reloaded()

    @dbus.service.method(IFACE, in_signature="", out_signature="")
    def completeReload(self):
        self.reload()

    @dbus.service.method(IFACE, in_signature="", out_signature="")
    def runtimeToPermanent(self):
        with vfsim_state.change() as s:
            s["firewall"]["permanent"] = copy.deepcopy(s["firewall"]["runtime"])

    @dbus.service.method(IFACE, in_signature="", out_signature="as")
    def listServices(self):
        return sorted(SERVICES)

    @dbus.service.method(IFACE, in_signature="s", out_signature="a{sv}")
    def getServiceSettings2(self, name):
        if name not in SERVICES:
            raise fw_error("INVALID_SERVICE", name)
        short, ports = SERVICES[name]
        return dbus.Dictionary({"short": dbus.String(short), "description": dbus.String(""),
                                "ports": dbus.Array(ports, signature="(ss)")}, signature="sv")

    @dbus.service.signal(IFACE, signature="")
    def Reloaded(self):
        pass

    @dbus.service.method(ZONE, in_signature="", out_signature="as")
    def getZones(self):
        return sorted(self._fw()["runtime"])

    @dbus.service.method(ZONE, in_signature="", out_signature="a{sa{sas}}")
    def getActiveZones(self):
        active = {n: {"interfaces": dbus.Array(z["interfaces"], signature="s"),
                      "sources": dbus.Array(z["sources"], signature="s")}
                  for n, z in self._fw()["runtime"].items() if z["interfaces"] or z["sources"]}
        return dbus.Dictionary(active, signature="sa{sas}")

    @dbus.service.method(ZONE, in_signature="s", out_signature="s")
    def getZoneOfInterface(self, interface):
        return next((n for n, z in self._fw()["runtime"].items() if interface in z["interfaces"]), "")

    @dbus.service.method(ZONE, in_signature="ss", out_signature="s")
    def changeZoneOfInterface(self, zone, interface):
        """firewalld 1.3.4 core/fw_zone.py change_zone_of_interface: out of the zone that held it, into this one."""
        with vfsim_state.change() as s:
            zones = s["firewall"]["runtime"]
            zone = zone or s["firewall"]["default_zone"]
            if zone not in zones:
                raise fw_error("INVALID_ZONE", zone)
            held = next((n for n, z in zones.items() if interface in z["interfaces"]), None)
            if held == zone:  # already there: no error, as firewalld
                return zone
            if held is not None:
                zones[held]["interfaces"].remove(interface)
            zones[zone]["interfaces"].append(interface)
        return zone

    @dbus.service.method(ZONE, in_signature="ss", out_signature="s")
    def removeInterface(self, zone, interface):
        return ZoneChanges.apply("runtime", zone, "interfaces", interface, False)

    @dbus.service.method(ZONE, in_signature="s", out_signature="a{sv}")
    def getZoneSettings2(self, zone):
        return settings2(self._zone(zone))

    @dbus.service.method(ZONE, in_signature="s", out_signature="aas")
    def getPorts(self, zone):
        return dbus.Array([p.split("/") for p in self._zone(zone)["ports"]], signature="as")

    @dbus.service.method(ZONE, in_signature="sss", out_signature="b")
    def queryPort(self, zone, port, protocol):
        return f"{port}/{protocol}" in self._zone(zone)["ports"]

    @dbus.service.method(ZONE, in_signature="sssi", out_signature="s")
    def addPort(self, zone, port, protocol, timeout):
        check_port(port, protocol)
        zone = ZoneChanges.apply("runtime", zone, "ports", f"{port}/{protocol}", True)
        self.PortAdded(zone, port, protocol, timeout)
        return zone

    @dbus.service.method(ZONE, in_signature="sss", out_signature="s")
    def removePort(self, zone, port, protocol):
        zone = ZoneChanges.apply("runtime", zone, "ports", f"{port}/{protocol}", False)
        self.PortRemoved(zone, port, protocol)
        return zone

    @dbus.service.method(ZONE, in_signature="s", out_signature="as")
    def getRichRules(self, zone):
        return dbus.Array(self._zone(zone).get("rich_rules", []), signature="s")

    @dbus.service.method(ZONE, in_signature="ss", out_signature="b")
    def queryRichRule(self, zone, rule):
        return rich_rule(rule) in self._zone(zone).get("rich_rules", [])

    @dbus.service.method(ZONE, in_signature="ssi", out_signature="s")
    def addRichRule(self, zone, rule, timeout):
        normal = rich_rule(rule)
        zone = ZoneChanges.apply("runtime", zone, "rich_rules", normal, True)
        self.RichRuleAdded(zone, normal, timeout)
        return zone

    @dbus.service.method(ZONE, in_signature="ss", out_signature="s")
    def removeRichRule(self, zone, rule):
        normal = rich_rule(rule)
        zone = ZoneChanges.apply("runtime", zone, "rich_rules", normal, False)
        self.RichRuleRemoved(zone, normal)
        return zone

    @dbus.service.signal(ZONE, signature="ssi")
    def RichRuleAdded(self, zone, rule, timeout):
        pass

    @dbus.service.signal(ZONE, signature="ss")
    def RichRuleRemoved(self, zone, rule):
        pass

    @dbus.service.method(ZONE, in_signature="s", out_signature="as")
    def getServices(self, zone):
        return dbus.Array(self._zone(zone)["services"], signature="s")

    @dbus.service.method(ZONE, in_signature="ss", out_signature="b")
    def queryService(self, zone, service):
        return service in self._zone(zone)["services"]

    @dbus.service.method(ZONE, in_signature="ssi", out_signature="s")
    def addService(self, zone, service, timeout):
        if service not in SERVICES:
            raise fw_error("INVALID_SERVICE", f"'{service}' not among existing services")
        zone = ZoneChanges.apply("runtime", zone, "services", service, True)
        self.ServiceAdded(zone, service, timeout)
        return zone

    @dbus.service.method(ZONE, in_signature="ss", out_signature="s")
    def removeService(self, zone, service):
        zone = ZoneChanges.apply("runtime", zone, "services", service, False)
        self.ServiceRemoved(zone, service)
        return zone

    @dbus.service.signal(ZONE, signature="sssi")
    def PortAdded(self, zone, port, protocol, timeout):
        pass

    @dbus.service.signal(ZONE, signature="sss")
    def PortRemoved(self, zone, port, protocol):
        pass

    @dbus.service.signal(ZONE, signature="ssi")
    def ServiceAdded(self, zone, service, timeout):
        pass

    @dbus.service.signal(ZONE, signature="ss")
    def ServiceRemoved(self, zone, service):
        pass
