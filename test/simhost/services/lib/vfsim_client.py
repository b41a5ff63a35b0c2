"""Shared bits of the stand-in commands: the system bus connection and D-Bus error text."""
import sys

import dbus
import dbus.mainloop.glib


def system_bus(no_bus_message, exit_code=1):
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    try:
        return dbus.SystemBus()
    except dbus.exceptions.DBusException:
        sys.stderr.write(no_bus_message)
        sys.exit(exit_code)


def unwrap(value):
    """dbus types -> plain Python."""
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Array, list)):
        return [unwrap(v) for v in value]
    if isinstance(value, (dbus.Struct, tuple)):
        return tuple(unwrap(v) for v in value)
    if isinstance(value, dbus.Dictionary):
        return {str(k): unwrap(v) for k, v in value.items()}
    if isinstance(value, (dbus.String, dbus.ObjectPath)):
        return str(value)
    if isinstance(value, (int, dbus.UInt32, dbus.Int32, dbus.UInt64, dbus.Int64, dbus.Byte)):
        return int(value)
    return value


def message(e):
    return e.get_dbus_message() or e.get_dbus_name()
