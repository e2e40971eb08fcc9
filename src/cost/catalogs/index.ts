/**
 * The hardware catalogs the job validator reads: GPUs, EC2 instance types, Vertex machine and accelerator types,
 * Rescale core types, which GPUs each framework version's builds run on, EC2 and EBS prices, and Vertex AI
 * custom-training prices. Data only, no I/O; docs/catalogs.md says where each figure came from and how to add a row.
 */
export { hasUnconfirmedFigure, isUnconfirmed, CATALOG_READ_ON, type Sourced } from './catalog-row.js';
export { closeNames, suggestName } from './catalog-names.js';
export {
  GPUS,
  GPU_ARCHITECTURES,
  findGpu,
  suggestGpu,
  closeGpuNames,
  gpuNames,
  normaliseGpuName,
  type GpuArchitecture,
  type GpuModel,
} from './gpus.js';
export {
  EC2_INSTANCE_TYPES,
  EC2_FAMILIES,
  findEc2InstanceType,
  findEc2Family,
  suggestEc2InstanceType,
  closeEc2InstanceTypes,
  type Ec2Family,
  type Ec2Gpus,
  type Ec2InstanceType,
} from './ec2-instance-types.js';
export {
  AWS_REGIONS,
  AWS_REGIONS_READ_ON,
  AWS_REGIONS_SOURCE,
  isAwsRegion,
  suggestAwsRegion,
  closeAwsRegions,
} from './aws-regions.js';
export {
  EC2_ON_DEMAND_PRICES,
  EBS_VOLUME_PRICES,
  findEc2OnDemandPrice,
  findEbsVolumePrice,
  ec2PricedRegions,
  type EbsVolumePrice,
  type EbsVolumeType,
  type Ec2OnDemandPrice,
} from './ec2-price-catalog.js';
export {
  VERTEX_MACHINE_TYPES,
  VERTEX_MACHINE_FAMILIES,
  VERTEX_ACCELERATORS,
  findVertexMachineType,
  findVertexMachineFamily,
  suggestVertexMachineType,
  closeVertexMachineTypes,
  findVertexAccelerator,
  suggestVertexAccelerator,
  closeVertexAccelerators,
  vertexAcceleratorsForGpu,
  type VertexAccelerator,
  type VertexAttachLimit,
  type VertexBuiltInGpus,
  type VertexMachineFamily,
  type VertexMachineType,
} from './vertex-machines.js';
export {
  VERTEX_TRAINING_PRICES,
  VERTEX_PRICE_ABSENCES,
  VERTEX_TRAINING_BILLING,
  VERTEX_PRICE_SOURCES,
  VERTEX_PRICES_READ_ON,
  findVertexMachinePrice,
  findVertexAcceleratorPrice,
  vertexPricedRegions,
  vertexPriceAbsence,
  type VertexPriceAbsence,
  type VertexPricedKind,
  type VertexTrainingBilling,
  type VertexTrainingPrice,
} from './vertex-price-catalog.js';
export {
  RESCALE_CORE_TYPES,
  findRescaleCoreType,
  suggestRescaleCoreType,
  closeRescaleCoreTypes,
  type RescaleCoreType,
  type RescaleGpus,
} from './rescale-core-types.js';
export {
  FRAMEWORK_COMPUTE,
  CUDA_TOOLKIT_FLOORS,
  computeSupport,
  cudaMinimumComputeCapability,
  frameworkComputeRow,
  compareVersions,
  versionNumbers,
  type ComputeSupport,
  type CudaToolkitFloor,
  type FrameworkBuild,
  type FrameworkComputeRow,
} from './framework-compute.js';
export { CUDA_TOOLKIT_NEWEST, cudaNewestComputeCapability, type CudaToolkitNewest } from './cuda-toolkit-newest.js';
