"""Pure serial-number logic, importable without Odoo (tested with plain pytest)."""

from . import errors
from . import names
from . import parsing
from . import ranges
from . import numbering
from . import zpl
