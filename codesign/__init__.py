"""codesign: turn what people said in a co-design process into evidence a decision-maker can trust."""
__version__ = "0.1.0"

from .errors import CodesignError, InputError, LeakError, SetupError  # noqa: E402
from .project import load_project  # noqa: E402

__all__ = ["CodesignError", "InputError", "LeakError", "SetupError", "load_project", "__version__"]
