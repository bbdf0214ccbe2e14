/**
 * The model selector: from one or more sweep summaries of one lane and profile, the (model, quant,
 * context) that meets a VRAM budget, a quality floor, a latency ceiling and a context, chosen by the
 * frontier's rules, with its reasons, its runner-up and what blocked every other candidate. See
 * {@code docs/model-selector.md}.
 */
@NullMarked
package dev.orket.core.select;

import org.jspecify.annotations.NullMarked;
