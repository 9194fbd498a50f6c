// Entry point of the test front end: a JupyterLab application assembled from npm packages. When it is
// restored it sets window.retisLab (the test waits for it: JupyterLab's <body> has no size, so
// a selector on it never becomes "visible").
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";

// Styles and lazily loaded chunks come from the server's static URL, known only at run time.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption("fullStaticUrl") + "/";

// The tooltip plugins for consoles and file editors need those plugins, which this front end leaves out.
const LEFT_OUT = [":language-server", "announcements", "tooltip-extension:consoles", "tooltip-extension:files"];

function plugins(module) {
  const exported = Object.prototype.hasOwnProperty.call(module, "__esModule") ? module.default : module;
  const list = Array.isArray(exported) ? exported : [exported];
  return list.filter((p) => !LEFT_OUT.some((s) => p.id.includes(s)));
}

async function main() {
  await import("../build/style.js");
  // One import() per package, written out so webpack sees each one (see extensions.cjs for the list).
  const extensions = await Promise.all([
    import("@jupyterlab/application-extension"),
    import("@jupyterlab/apputils-extension"),
    import("@jupyterlab/codemirror-extension"),
    import("@jupyterlab/completer-extension"),
    import("@jupyterlab/docmanager-extension"),
    import("@jupyterlab/documentsearch-extension"),
    import("@jupyterlab/filebrowser-extension"),
    import("@jupyterlab/mainmenu-extension"),
    import("@jupyterlab/markedparser-extension"),
    import("@jupyterlab/metadataform-extension"),
    import("@jupyterlab/notebook-extension"),
    import("@jupyterlab/rendermime-extension"),
    import("@jupyterlab/shortcuts-extension"),
    import("@jupyterlab/statusbar-extension"),
    import("@jupyterlab/theme-light-extension"),
    import("@jupyterlab/toc-extension"),
    import("@jupyterlab/tooltip-extension"),
    import("@jupyterlab/translation-extension"),
    import("@jupyterlab/ui-components-extension"),
  ]);
  const mimeExtensions = await Promise.all([import("@jupyterlab/vega5-extension"), import("@jupyterlab/json-extension")]);
  const lab = new JupyterLab({ mimeExtensions });
  lab.registerPlugins(extensions.flatMap(plugins));
  await lab.start();
  await lab.restored;
  window.retisLab = lab;
}

window.addEventListener("load", () => {
  main().catch((e) => {
    console.error("retis test lab failed to start", e);
    window.retisLabError = String(e && e.stack ? e.stack : e);
  });
});
