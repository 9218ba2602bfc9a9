import { startOffscreenExporter } from '../../src/bundle/offscreen';

startOffscreenExporter();
