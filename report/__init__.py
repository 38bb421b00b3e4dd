from . import serial_label_report
