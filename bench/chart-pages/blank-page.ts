/** The yardstick of the chart pages: the same page and marks with no library and no chart, so what a load costs. */
import { markDrawn, markStart } from './series.js';

markStart();
markDrawn();
