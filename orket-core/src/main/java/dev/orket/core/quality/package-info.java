/**
 * The quality scorer SPI and its built-in scorers (exact, contains, regex, json, baseline_agreement), resolved by id through ServiceLoader.
 */
@NullMarked
package dev.orket.core.quality;

import org.jspecify.annotations.NullMarked;
