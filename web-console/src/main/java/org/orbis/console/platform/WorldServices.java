package org.orbis.console.platform;

import org.orbis.world.entities.EntityStore;
import org.orbis.world.history.Housekeeper;
import org.orbis.world.history.HistoryStore;
import org.orbis.world.history.Retention;
import org.orbis.world.models.ModelCatalog;
import org.orbis.world.query.QueryEngine;
import org.orbis.world.store.ChangeFeed;
import org.orbis.world.store.WorldStore;
import org.orbis.world.views.ViewMaintainer;
import org.orbis.world.views.ViewStore;

/**
 * The world model's read and graph services the API uses, and the two background threads that keep it tidy and
 * current: the view maintainer and the retention housekeeper. Closed before the database.
 */
public final class WorldServices implements AutoCloseable {

    private final EntityStore entities;
    private final ModelCatalog models;
    private final QueryEngine queries;
    private final HistoryStore history;
    private final ViewStore views;
    private final ViewMaintainer maintainer;
    private final Housekeeper housekeeper;

    public WorldServices(WorldStore world, ChangeFeed feed, Retention retention) {
        this.entities = new EntityStore(world);
        this.models = new ModelCatalog(world);
        this.queries = new QueryEngine(world, models, entities);
        this.history = new HistoryStore(world);
        this.views = new ViewStore(world);
        this.maintainer = new ViewMaintainer(views, queries, feed);
        this.housekeeper = new Housekeeper(world, retention);
    }

    public WorldServices start() {
        maintainer.start();
        housekeeper.start();
        return this;
    }

    public EntityStore entities() {
        return entities;
    }

    public ModelCatalog models() {
        return models;
    }

    public QueryEngine queries() {
        return queries;
    }

    public HistoryStore history() {
        return history;
    }

    public ViewStore views() {
        return views;
    }

    public ViewMaintainer maintainer() {
        return maintainer;
    }

    public Housekeeper housekeeper() {
        return housekeeper;
    }

    @Override
    public void close() {
        housekeeper.close();
        maintainer.close();
    }
}
