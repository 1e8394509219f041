/** The console's one stylesheet, served at /console/style.css (the CSP allows styles from the control plane only). */
export const consoleStyle = `
:root { font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1f24; background: #fff; }
body { margin: 0; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .5rem 1rem; background: #eef1f5; border-bottom: 1px solid #c9d1d9; }
.brand { font-weight: 700; margin: 0; }
nav { display: flex; flex: 1; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 1rem; }
nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
main { padding: 1rem; max-width: 64rem; }
main:focus { outline: none; }
a { color: #0a4fa6; }
:focus-visible { outline: 3px solid #d9480f; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.notice { padding: .5rem 1rem; border-left: 4px solid; }
.notice.error { border-color: #b42318; background: #fef3f2; }
.notice.ok { border-color: #067647; background: #ecfdf3; }
.stack { display: flex; flex-direction: column; align-items: flex-start; gap: .35rem; max-width: 32rem; }
.stack input, .stack select { width: 100%; }
.help { font-size: .9rem; color: #4b5563; margin: 0; }
.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 1rem; margin-bottom: 1rem; }
.filters div { display: flex; flex-direction: column; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #d0d7de; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.state { font-weight: 600; }
.decision { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin: .5rem 0; }
button { font: inherit; padding: .3rem .9rem; border: 1px solid #57606a; border-radius: 4px; background: #f6f8fa; cursor: pointer; }
button.approve { background: #067647; border-color: #067647; color: #fff; }
button.deny, button.revoke { background: #b42318; border-color: #b42318; color: #fff; }
.timeline { padding-left: 1.25rem; }
.event { font-family: ui-monospace, monospace; }
pre { background: #f6f8fa; padding: .75rem; overflow: auto; }
.issued { border: 2px solid #067647; padding: 0 1rem; margin-bottom: 1rem; }
`;
