import { startTimestampSettings } from '../../src/ui/timestamp-settings';

startTimestampSettings(document);
