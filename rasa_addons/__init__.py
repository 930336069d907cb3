"""Code that runs inside the Rasa server (Rasa environment pins apply: SQLAlchemy 1.4, pydantic<1.10.10).

Keep it small and free of application imports: the application environment's
packages are not installed here.

Rasa imports this package whenever it loads our model (the pipeline starts with
`rasa_addons.message_guard`), our channels or our tracker store; importing it installs
speed fixes into Rasa 3.6.21, which will see no further release. Each keeps Rasa's
behaviour and is tested against Rasa's own code (tests/rasa/). One changes it on purpose:
`action_server_down` tells the visitor when the action server cannot be reached.

`unused_imports` first keeps packages the server never uses (JAX) out of processes that
import this package before Rasa, as `python -m rasa_addons.serve` does.
"""
from rasa_addons import unused_imports

unused_imports.keep_out()  # before the fixes below import Rasa, and Rasa TensorFlow

from rasa_addons import action_results, action_server_down, endpoint_sessions, event_types  # noqa: E402

action_results.install()
action_server_down.install()
endpoint_sessions.install()
event_types.install()
