// Builds the test front end into build/: webpack in development mode (production takes minutes, for
// nothing a test needs), plus @jupyterlab/builder's copy of the extensions' settings schemas and themes.
// Skips the work when build/bundle.js is newer than every input, so install.sh can run it every time.
const fs = require("node:fs");
const path = require("node:path");
const webpack = require("webpack");
const { Build } = require("@jupyterlab/builder");
const { extensions, mimeExtensions } = require("./app/extensions.cjs");

const here = __dirname;
const out = path.join(here, "build");
const bundle = path.join(out, "bundle.js");
const inputs = ["package.json", "package-lock.json", "build.cjs", "app"].map((f) => path.join(here, f));

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

if (!process.argv.includes("--force") && fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs > Math.max(...inputs.map(newest))) {
  console.error("test/lab: build/ is up to date");
  process.exit(0);
}

// Writes build/style.js, build/schemas/ and build/themes/ (the config it returns copies the theme files).
const assets = Build.ensureAssets({ packageNames: [...extensions, ...mimeExtensions], output: out });

const app = {
  mode: "development",
  entry: path.join(here, "app", "index.mjs"),
  output: { path: out, filename: "bundle.js", chunkFilename: "[name].[contenthash:8].js", clean: false },
  devtool: false,
  bail: true,
  module: {
    rules: [
      // Some packages (@jupyter/web-components) import without file extensions.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /\.css$/, use: [require.resolve("style-loader"), require.resolve("css-loader")] },
      { test: /\.raw\.css$/, type: "asset/source" },
      { test: /\.md$/, type: "asset/source" },
      { test: /\.(html|jpg|png|gif|eot)$/, type: "asset/resource" },
      { test: /\.(woff2?|ttf)(\?v=\d+\.\d+\.\d+)?$/, type: "asset" },
      // SVG icons: data URIs inside CSS, source text inside JavaScript (LabIcon parses it).
      { test: /\.svg(\?v=\d+\.\d+\.\d+)?$/, issuer: /\.css$/, type: "asset/inline" },
      { test: /\.svg(\?v=\d+\.\d+\.\d+)?$/, issuer: /\.js$/, type: "asset/source" },
    ],
  },
  plugins: [new webpack.DefinePlugin({ process: { cwd: "() => '/'", env: {} } })],
  performance: { hints: false },
  infrastructureLogging: { level: "error" },
};

const started = Date.now();
webpack([app, ...assets], (err, stats) => {
  if (err || stats.hasErrors()) {
    console.error(err ?? stats.toString({ all: false, errors: true, errorDetails: true }));
    process.exit(1);
  }
  fs.utimesSync(bundle, new Date(), new Date());
  console.error(`test/lab: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
});
