/**
 * main.ts imports this first, so it runs before any function of the bundle is defined (the
 * interpreter has no hoisting): every function is then stored tokenised, which takes less
 * RAM and runs 10-20% faster (docs/espruino.md section 2). It touches no pin, link or console, so
 * it may run while the bundle uploads.
 */
E.setFlags({ pretokenise: 1 });
