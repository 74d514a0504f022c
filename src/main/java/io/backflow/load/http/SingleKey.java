package io.backflow.load.http;

import io.backflow.BackflowException;
import io.backflow.BackflowException.Category;
import io.backflow.load.ChangeLayout;

/** SaaS APIs match a record on one field, so their syncs need a one-column key. */
public final class SingleKey {

    private SingleKey() {
    }

    /** The key column; {@code INVALID_CONFIG} naming {@code matchedOn} if the key has several columns. */
    public static String of(ChangeLayout layout, String destination, String matchedOn) {
        if (layout.key().size() != 1) {
            throw new BackflowException(Category.INVALID_CONFIG, "Cannot sync to " + destination + ": records are "
                    + "matched on one field (" + matchedOn + "), but the key has " + layout.key().size()
                    + " columns " + layout.key() + "; key the model on one column, e.g. a concatenation");
        }
        return layout.key().get(0);
    }
}
