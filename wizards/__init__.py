from . import mrp_batch_produce
from . import stock_serial_entry
from . import stock_serial_entry_fast
from . import stock_serial_entry_scan
from . import stock_serial_reject
from . import stock_serial_label_wizard
from . import stock_serial_trace
from . import stock_serial_purchase_import
