package io.microbatch.state.rocksdb;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * The one hook for tuning RocksDB beyond {@link RocksDbConfig}: it sees every options object after
 * the backend set its defaults and before the database opens. The backend still owns and closes
 * every native object; a customizer must not close them, nor keep them.
 */
public interface RocksDbOptionsCustomizer {

  /** Leaves the backend's options as they are. */
  RocksDbOptionsCustomizer NONE = new RocksDbOptionsCustomizer() {};

  /** Adjusts the options of the database (shared by all its column families). */
  default void customizeDbOptions(DBOptions options) {}

  /**
   * Adjusts one column family; {@code table} is applied to {@code options} after this returns, so
   * changes to it take effect too.
   */
  default void customizeColumnFamily(
      String columnFamily, ColumnFamilyOptions options, BlockBasedTableConfig table) {}
}
