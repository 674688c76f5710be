extension DeviceProfile {
    private static let driver270 = "jklincn/cambricon-mlu-driver attr/cndrv_attr_mlu270.c, mcu/cndrv_mcu_info.c (reference §7)"

    /// MLU270 (MLUv02): 4 clusters × 4 cores, 1 GHz, 102.4 GB/s DDR4.
    ///
    /// INT8 peak is the press figure (128 TOPS; a CNML conv sample measured 118.2 TOPS). INT16,
    /// FP16 and FP32 peaks are not published in the sources read: mlus assumes INT16 = INT8/2,
    /// FP16 = INT8/4, FP32 = INT8/8 (confidence L).
    public static let mlu270 = DeviceProfile(
        coreVersion: .mlu270,
        clusters: Sourced(4, source: driver270 + " MAX_CLUSTER_NUM4", confidence: .high),
        coresPerCluster: Sourced(4, source: driver270 + " IPUCORE_NUM4", confidence: .high),
        validCoreNumbers: Sourced([1, 4, 16], source: "Cambricon PyTorch guide \"core_num仅有三种数值可选：1、4、16\" (reference §4)", confidence: .high),
        clockMHz: Sourced(1000, source: "mcu/cndrv_mcu_info.c IPU clock (X5K: 1100) (reference §7)", confidence: .high),
        memoryBandwidthGBps: Sourced(102.4, source: "256-bit bus, 4 DDR controllers; mcu/cndrv_mcu_mlu270.c (reference §7)", confidence: .high),
        nramBytesPerCore: Sourced(512 * 1024, source: "smarsu/smnet-eager conv2d.mlu (reference §7)", confidence: .mediumHigh),
        wramBytesPerCore: Sourced(1024 * 1024, source: "BANG __is_wram 1MB for arch 270, MAX_WRAM_SIZE (reference §7)", confidence: .mediumHigh),
        sramBytesPerCluster: Sourced(2 * 1024 * 1024, source: "include/cndrv_mcu.h SRAM_SIZE 2MB (reference §7)", confidence: .mediumHigh),
        peakOpsPerSecond: [
            .int8: Sourced(128e12, source: "press figure 128 TOPS INT8, https://n.znds.com/mip/37793.html (reference §7)", confidence: .low),
            .int16: Sourced(64e12, source: "assumption: INT16 = INT8 / 2 (not found in sources)", confidence: .low),
            .float16: Sourced(32e12, source: "assumption: FP16 = INT8 / 4 (not found in sources)", confidence: .low),
            .float32: Sourced(16e12, source: "assumption: FP32 = INT8 / 8 (not found in sources)", confidence: .low),
        ])
}
