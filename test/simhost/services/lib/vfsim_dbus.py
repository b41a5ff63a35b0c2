"""dbus-python objects with properties: Get/GetAll, PropertiesChanged, and properties in Introspect.

dbus-python's generated introspection has no <property> elements; Cockpit's bridge reads the interface description
from Introspect, so each object adds them (props() gives {interface: {name: (signature, value)}}).
"""
import dbus
import dbus.service

PROPS = "org.freedesktop.DBus.Properties"


def typed(sig, value):
    """Wrap a Python value in the dbus type that makes a variant of signature `sig`."""
    simple = {"s": dbus.String, "o": dbus.ObjectPath, "b": dbus.Boolean, "u": dbus.UInt32, "i": dbus.Int32,
              "t": dbus.UInt64, "x": dbus.Int64, "d": dbus.Double, "y": dbus.Byte}
    if sig in simple:
        return simple[sig](value)
    if sig.startswith("a{"):
        return dbus.Dictionary(value, signature=sig[2:-1])
    if sig.startswith("a"):
        return dbus.Array(value, signature=sig[1:])
    if sig.startswith("("):
        return dbus.Struct(value, signature=sig[1:-1])
    raise ValueError(sig)


class PropObject(dbus.service.Object):
    def props(self):
        return {}

    def _iface(self, interface):
        all_props = self.props()
        if interface not in all_props:
            raise dbus.exceptions.DBusException(f"No such interface '{interface}'",
                                                name="org.freedesktop.DBus.Error.UnknownInterface")
        return all_props[interface]

    @dbus.service.method(PROPS, in_signature="ss", out_signature="v")
    def Get(self, interface, name):
        props = self._iface(interface)
        if name not in props:
            raise dbus.exceptions.DBusException(f"No such property '{name}'",
                                                name="org.freedesktop.DBus.Error.UnknownProperty")
        sig, value = props[name]
        return typed(sig, value)

    @dbus.service.method(PROPS, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        if interface == "":
            merged = {}
            for props in self.props().values():
                merged.update(props)
            return dbus.Dictionary({k: typed(s, v) for k, (s, v) in merged.items()}, signature="sv")
        return dbus.Dictionary({k: typed(s, v) for k, (s, v) in self._iface(interface).items()}, signature="sv")

    @dbus.service.method(PROPS, in_signature="ssv")
    def Set(self, interface, name, _value):
        raise dbus.exceptions.DBusException(f"Property '{name}' is read-only",
                                            name="org.freedesktop.DBus.Error.PropertyReadOnly")

    @dbus.service.signal(PROPS, signature="sa{sv}as")
    def PropertiesChanged(self, interface, changed, invalidated):
        pass

    def emit_changed(self, interface, names):
        props = self.props().get(interface, {})
        changed = {n: typed(*props[n]) for n in names if n in props}
        if changed:
            self.PropertiesChanged(interface, dbus.Dictionary(changed, signature="sv"),
                                   dbus.Array([], signature="s"))

    @dbus.service.method("org.freedesktop.DBus.Introspectable", in_signature="", out_signature="s",
                         path_keyword="object_path", connection_keyword="connection")
    def Introspect(self, object_path, connection):
        xml = dbus.service.Object.Introspect(self, object_path, connection)
        for interface, props in self.props().items():
            elems = "".join(f'    <property name="{n}" type="{s}" access="read"/>\n' for n, (s, _) in props.items())
            tag = f'<interface name="{interface}">\n'
            if tag in xml:
                xml = xml.replace(tag, tag + elems, 1)
            else:
                xml = xml.replace("</node>", f"  {tag}{elems}  </interface>\n</node>", 1)
        return xml
