/** Synthesizes the quickstart stack into cdktf.out/stacks/quickstart/cdk.tf.json. */
import { App } from 'cdktf';
import { QuickstartStack } from './src/quickstart-stack';
import { synthOutDir } from './src/paths';

const app = new App({ outdir: synthOutDir });
new QuickstartStack(app, 'quickstart');
app.synth();
process.stderr.write(`synthesized ${synthOutDir}/stacks/quickstart/cdk.tf.json\n`);
