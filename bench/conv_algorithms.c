/* Direct (nhwc) against Winograd (nChw16c) fp32 3x3 stride-1 convolutions in oneDNN 2.x: fwd, bwd-data and
 * bwd-weights, min of 12 runs each, batch 64, per shape given as CIN COUT H triples (square H x H maps).
 * The measurement behind ConvAlgorithm's width rule (bench/results/winograd-20261206.md):
 *   gcc -O2 bench/conv_algorithms.c -o /tmp/conv_algorithms -ldnnl
 *   OMP_NUM_THREADS=1 /tmp/conv_algorithms 16 16 32  24 24 16  32 32 16  64 64 8  128 128 4
 * The bracketed text after each line is oneDNN's implementation for fwd | bwd-data | bwd-weights. */
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#define CHK(x) do{dnnl_status_t s=(x); if(s!=dnnl_success){printf("  fail %s: %d\n",#x,s); return -1;}}while(0)
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
dnnl_engine_t eng; dnnl_stream_t st;
static dnnl_memory_t mk(const dnnl_memory_desc_t*md){dnnl_memory_t m; dnnl_memory_create(&m,md,eng,DNNL_MEMORY_ALLOCATE); float*p; dnnl_memory_get_data_handle(m,(void**)&p); size_t n=dnnl_memory_desc_get_size(md)/4; for(size_t i=0;i<n;i++)p[i]=(rand()%100)/100.f-0.5f; return m;}
int run(int N,int C,int O,int H,dnnl_alg_kind_t alg,dnnl_format_tag_t act){
  dnnl_dims_t sd={N,C,H,H}, od={N,O,H,H}, wd={O,C,3,3}, st1={1,1}, pd={1,1};
  dnnl_memory_desc_t src,dst,w;
  dnnl_memory_desc_init_by_tag(&src,4,sd,dnnl_f32,act);
  dnnl_memory_desc_init_by_tag(&dst,4,od,dnnl_f32,act);
  dnnl_memory_desc_init_by_tag(&w,4,wd,dnnl_f32,dnnl_format_tag_any);
  dnnl_convolution_desc_t fd,bd,bw; CHK(dnnl_convolution_forward_desc_init(&fd,dnnl_forward_training,alg,&src,&w,NULL,&dst,st1,pd,pd));
  dnnl_primitive_desc_t fpd,bpd,wpd; CHK(dnnl_primitive_desc_create(&fpd,&fd,NULL,eng,NULL));
  CHK(dnnl_convolution_backward_data_desc_init(&bd,alg,&src,&w,&dst,st1,pd,pd));
  CHK(dnnl_primitive_desc_create(&bpd,&bd,NULL,eng,fpd));
  CHK(dnnl_convolution_backward_weights_desc_init(&bw,alg,&src,&w,NULL,&dst,st1,pd,pd));
  CHK(dnnl_primitive_desc_create(&wpd,&bw,NULL,eng,fpd));
  const char*i1,*i2,*i3; dnnl_primitive_desc_query(fpd,dnnl_query_impl_info_str,0,&i1);dnnl_primitive_desc_query(bpd,dnnl_query_impl_info_str,0,&i2);dnnl_primitive_desc_query(wpd,dnnl_query_impl_info_str,0,&i3);
  const dnnl_memory_desc_t*fw=dnnl_primitive_desc_query_md(fpd,dnnl_query_weights_md,0);
  const dnnl_memory_desc_t*bwm=dnnl_primitive_desc_query_md(bpd,dnnl_query_weights_md,0);
  const dnnl_memory_desc_t*ww=dnnl_primitive_desc_query_md(wpd,dnnl_query_diff_weights_md,0);
  dnnl_memory_t ms=mk(&src),md=mk(&dst),mw=mk(fw),mwb=mk(bwm),mdw=mk(ww),mds=mk(&src),mdd=mk(&dst);
  dnnl_primitive_t f,b,g; dnnl_primitive_create(&f,fpd);dnnl_primitive_create(&b,bpd);dnnl_primitive_create(&g,wpd);
  dnnl_exec_arg_t fa[]={{DNNL_ARG_SRC,ms},{DNNL_ARG_WEIGHTS,mw},{DNNL_ARG_DST,md}};
  dnnl_exec_arg_t ba[]={{DNNL_ARG_DIFF_DST,mdd},{DNNL_ARG_WEIGHTS,mwb},{DNNL_ARG_DIFF_SRC,mds}};
  dnnl_exec_arg_t ga[]={{DNNL_ARG_SRC,ms},{DNNL_ARG_DIFF_DST,mdd},{DNNL_ARG_DIFF_WEIGHTS,mdw}};
  double best[3]={1e9,1e9,1e9};
  for(int r=0;r<12;r++){ double t;
    t=now(); dnnl_primitive_execute(f,st,3,fa); dnnl_stream_wait(st); t=now()-t; if(t<best[0])best[0]=t;
    t=now(); dnnl_primitive_execute(b,st,3,ba); dnnl_stream_wait(st); t=now()-t; if(t<best[1])best[1]=t;
    t=now(); dnnl_primitive_execute(g,st,3,ga); dnnl_stream_wait(st); t=now()-t; if(t<best[2])best[2]=t;}
  printf("N%d C%d O%d H%d %s %s: fwd %.2f bwdD %.2f bwdW %.2f total %.2f ms  [%s | %s | %s]\n",N,C,O,H,alg==dnnl_convolution_direct?"direct":"wino",act==dnnl_nhwc?"nhwc":"nChw16c",best[0],best[1],best[2],best[0]+best[1]+best[2],i1,i2,i3);
  return 0;}
int main(int argc,char**argv){ dnnl_engine_create(&eng,dnnl_cpu,0); dnnl_stream_create(&st,eng,dnnl_stream_default_flags);
  for(int i=1;i+2<argc;i+=3){int C=atoi(argv[i]),O=atoi(argv[i+1]),H=atoi(argv[i+2]);
    run(64,C,O,H,dnnl_convolution_direct,dnnl_nhwc); run(64,C,O,H,dnnl_convolution_winograd,dnnl_nChw16c);}}
