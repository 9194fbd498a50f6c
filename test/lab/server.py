"""The server of the test front end: Debian's jupyter_server 1.23 with jupyterlab_server's LabServerApp
serving build/ (bundle, schemas, themes) at /lab.

usage: /usr/bin/python3 server.py --port=P --ServerApp.token=T --ServerApp.root_dir=DIR
           --RetisTestLab.user_settings_dir=DIR --RetisTestLab.workspaces_dir=DIR
Prints "Jupyter Server ... is running at" (jupyter_server's own line) once it listens.
"""
import os

from jupyter_server.base.handlers import JupyterHandler
from jupyterlab_server import LabServerApp
from tornado import web, websocket

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")

# Configuration files of the user's machine must not change what the test sees.
os.environ["JUPYTER_NO_CONFIG"] = "1"


class MeHandler(JupyterHandler):
    """GET /api/me as jupyter_server 2 answers it; JupyterLab 4 asks for it at start (1.23 has no such route)."""

    @web.authenticated
    def get(self):
        self.finish({
            "identity": {"username": "retis", "name": "retis", "display_name": "retis", "initials": "R",
                         "avatar_url": None, "color": None},
            "permissions": {},
        })


class EventsHandler(websocket.WebSocketHandler):
    """/api/events/subscribe (jupyter_server 2's event bus): accepted and silent, as no server event is emitted here."""

    def check_origin(self, origin):
        return True


class RetisTestLab(LabServerApp):
    # jupyter_server finds the extension's config under this name: it must be the module's own name.
    name = __name__
    app_name = "retis test lab"
    extension_url = "/lab"
    default_url = "/lab"
    app_url = "/lab"
    load_other_extensions = False
    app_settings_dir = os.path.join(HERE, "app", "settings")
    schemas_dir = os.path.join(BUILD, "schemas")
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    themes_dir = os.path.join(BUILD, "themes")

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.extend([(r"/api/me", MeHandler), (r"/api/events/subscribe", EventsHandler)])


def _jupyter_server_extension_points():
    """How jupyter_server finds the app in this module (it loads extensions by module name)."""
    return [{"module": __name__, "app": RetisTestLab}]


if __name__ == "__main__":
    RetisTestLab.launch_instance()
