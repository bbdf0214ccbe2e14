/**
 * The quant recommendation drawn from a frontier: winner, runner-up, the deciding figures and whether their differences exceed run-to-run noise.
 */
@NullMarked
package dev.orket.core.recommend;

import org.jspecify.annotations.NullMarked;
