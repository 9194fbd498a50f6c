// The JupyterLab plugins of the test front end: what a person's JupyterLab has for notebooks (editor,
// completer, tooltip, inspector, menus, file browser, status bar, light theme) and two renderers (Vega, JSON).
// build.cjs copies these packages' schemas and themes; index.mjs imports them. Left out on purpose:
// the notebook's ":language-server" plugin (no jupyter-lsp server here) and the announcements plugin
// (it polls /lab/api/news, which this server does not have).
module.exports = {
  extensions: [
    "@jupyterlab/application-extension",
    "@jupyterlab/apputils-extension",
    "@jupyterlab/codemirror-extension",
    "@jupyterlab/completer-extension",
    "@jupyterlab/docmanager-extension",
    "@jupyterlab/documentsearch-extension",
    "@jupyterlab/filebrowser-extension",
    "@jupyterlab/mainmenu-extension",
    "@jupyterlab/markedparser-extension",
    "@jupyterlab/metadataform-extension",
    "@jupyterlab/notebook-extension",
    "@jupyterlab/rendermime-extension",
    "@jupyterlab/shortcuts-extension",
    "@jupyterlab/statusbar-extension",
    "@jupyterlab/theme-light-extension",
    "@jupyterlab/toc-extension",
    "@jupyterlab/tooltip-extension",
    "@jupyterlab/translation-extension",
    "@jupyterlab/ui-components-extension",
  ],
  mimeExtensions: ["@jupyterlab/vega5-extension", "@jupyterlab/json-extension"],
};
